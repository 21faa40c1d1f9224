/** @jsxImportSource hono/jsx */
/**
 * The Assessment Team's sign-in page: e-mail and password, and the page to return to afterwards.
 */
import { AdminLayout, FormError } from './admin-layout.tsx';

/** The sign-in form, with the refusal of the last attempt (if any) and the e-mail typed then. */
export function SignInPage({ error, email, next }: { error?: string; email?: string; next: string }) {
  return (
    <AdminLayout title="Sign in">
      <FormError message={error} />
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value={next} />
        <div class="form-row">
          <label for="email">E-mail</label>
          <input type="email" id="email" name="email" value={email ?? ''} autocomplete="username" required />
        </div>
        <div class="form-row">
          <label for="password">Password</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Sign in
          </button>
        </p>
      </form>
    </AdminLayout>
  );
}

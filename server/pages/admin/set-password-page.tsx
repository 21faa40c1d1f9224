/** @jsxImportSource hono/jsx */
/**
 * The page a one-time account link opens: the first administrator's e-mail and password, or a
 * new password for the account the link was made for.
 */
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.ts';
import { AdminLayout, FormError } from './admin-layout.tsx';

export interface SetPasswordView {
  token: string;
  purpose: 'first_admin' | 'set_password';
  email?: string;
  /** Why the last attempt was refused. */
  error?: string;
}

/** The form of a one-time account link. */
export function SetPasswordPage({ token, purpose, email, error }: SetPasswordView) {
  return (
    <AdminLayout title={purpose === 'first_admin' ? 'Create the first administrator' : 'Set your password'}>
      <FormError message={error} />
      <form method="post" action={`/admin/setup/${token}`}>
        {purpose === 'first_admin' ? (
          <div class="form-row">
            <label for="email">Your e-mail</label>
            <input type="email" id="email" name="email" value={email ?? ''} autocomplete="username" required />
          </div>
        ) : (
          <p>
            Account: <strong>{email}</strong>
          </p>
        )}
        <div class="form-row">
          <label for="password">Password (at least {MIN_PASSWORD_LENGTH} characters)</label>
          <input type="password" id="password" name="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Save and sign in
          </button>
        </p>
      </form>
    </AdminLayout>
  );
}

/**
 * What an admin page needs of the signed-in member: e-mail and role for the header, and the
 * session's CSRF token for its forms.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AdminUserView } from '../pages/admin/admin-layout.tsx';

export function userView(c: Context<AppEnv>): AdminUserView | undefined {
  const user = c.get('user');
  return user && { email: user.email, role: user.role, csrfToken: user.csrfToken };
}

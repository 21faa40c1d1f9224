/** @jsxImportSource hono/jsx */
/**
 * The users page (admins): every account with its role and state, changing them, new password
 * links, and adding an account.
 */
import { USER_ROLES } from '../../accounts/account-service.ts';
import type { User } from '../../accounts/users.queries.ts';
import { AdminLayout, FormError, type AdminUserView } from './admin-layout.tsx';
import { Notice, TableHead } from './admin-parts.tsx';

export interface UsersView {
  user: AdminUserView;
  users: User[];
  /** A one-time link made just now, with the sentence that introduces it. */
  link?: { text: string; url: string };
  /** Why the last change was refused. */
  error?: string;
}

/** The users page, with the outcome of what was just done above the list. */
export function UsersPage({ view }: { view: UsersView }) {
  return (
    <AdminLayout title="Users" user={view.user} current="/admin/users">
      {view.link ? (
        <Notice>
          {view.link.text} <code class="link-box">{view.link.url}</code>
        </Notice>
      ) : null}
      <FormError message={view.error} />
      <UserList users={view.users} csrf={view.user.csrfToken} />
      <AddUserForm csrf={view.user.csrfToken} />
    </AdminLayout>
  );
}

function UserList({ users, csrf }: { users: User[]; csrf: string }) {
  return (
    <table class="data">
      <TableHead columns={['E-mail', 'Role', 'State', 'Change']} />
      <tbody>
        {users.map((u) => (
          <tr>
            <td>{u.email}</td>
            <td>{u.role}</td>
            <td>{u.disabled ? 'disabled' : u.hasPassword ? 'active' : 'waiting for password'}</td>
            <td>
              <UserChange user={u} csrf={csrf} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UserChange({ user, csrf }: { user: User; csrf: string }) {
  return (
    <form method="post" action={`/admin/users/${user.id}`} class="inline-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <label for={`action-${user.id}`} class="visually-hidden">
        Change {user.email}
      </label>
      <select id={`action-${user.id}`} name="action">
        {USER_ROLES.filter((r) => r !== user.role).map((r) => (
          <option value={r}>make {r}</option>
        ))}
        <option value={user.disabled ? 'enable' : 'disable'}>{user.disabled ? 'enable' : 'disable'}</option>
        <option value="password_link">new password link</option>
      </select>
      <button type="submit" class="secondary">
        Apply
      </button>
    </form>
  );
}

function AddUserForm({ csrf }: { csrf: string }) {
  return (
    <>
      <h2>Add an account</h2>
      <form method="post" action="/admin/users">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="form-row">
          <label for="new-email">E-mail</label>
          <input type="email" id="new-email" name="email" required />
        </div>
        <div class="form-row">
          <label for="new-role">Role</label>
          <select id="new-role" name="role">
            <option value="observer">observer — aggregates only, small groups hidden</option>
            <option value="analyst">analyst — dashboard, comparisons, free text, exports</option>
            <option value="admin">admin — also invitations, questionnaires, users</option>
          </select>
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Create the account
          </button>
        </p>
      </form>
    </>
  );
}

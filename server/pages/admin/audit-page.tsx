/** @jsxImportSource hono/jsx */
/**
 * The audit log (admins): sign-ins, administrative actions and exports, newest first, a page of
 * entries at a time.
 */
import type { listAuditEntries } from '../../audit/audit.queries.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { TableHead } from './admin-parts.tsx';

/** A row of the audit log as listed. */
export type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>[number];

/** Entries per page of the audit log. */
export const AUDIT_PAGE_SIZE = 200;

/** One page of the audit log; a full page links to the entries before its last one. */
export function AuditPage({ user, entries }: { user: AdminUserView | undefined; entries: AuditRow[] }) {
  return (
    <AdminLayout title="Audit log" user={user} current="/admin/audit">
      <p class="hint">Append-only record of sign-ins, administrative actions and exports, newest first.</p>
      <table class="data">
        <TableHead columns={['Time (UTC)', 'Who', 'Action', 'Subject', 'Details']} />
        <tbody>
          {entries.map((e) => (
            <tr>
              <td>{e.at.toISOString().slice(0, 19).replace('T', ' ')}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.subject ?? ''}</td>
              <td>
                <code>{JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === AUDIT_PAGE_SIZE ? (
        <p>
          <a href={`/admin/audit?before=${entries.at(-1)!.id}`}>Older entries</a>
        </p>
      ) : null}
    </AdminLayout>
  );
}

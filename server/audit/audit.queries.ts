/**
 * The append-only audit log: logins, admin actions and exports. Nothing updates or deletes it.
 */
import type { Db } from '../db/db.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string | null;
  /** Must never hold a token, a token hash or a password hash. */
  details: Record<string, unknown>;
}

/** Records who did what to what. */
export async function insertAuditEntry(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ actor: entry.actor, action: entry.action, subject: entry.subject, details: JSON.stringify(entry.details) })
    .execute();
}

/** The latest entries, newest first (the admin's audit page). */
export async function listAuditEntries(db: Db, options: { limit: number; beforeId?: number }) {
  let query = db.selectFrom('audit_log').select(['id', 'at', 'actor', 'action', 'subject', 'details']).orderBy('id', 'desc').limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  return query.execute();
}

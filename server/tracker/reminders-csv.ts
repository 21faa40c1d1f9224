/**
 * The reminders file: who has not submitted yet, with e-mail and the state of their link, as a
 * spreadsheet-safe CSV. It never holds a link or token (links are not stored; a reminder for a
 * revoked or lost link needs a reissue).
 */
import { csvWithBom } from '../csv/csv.ts';
import type { LinkState, NotSubmittedRow } from './tracker.queries.ts';

export const LINK_STATE_LABELS: Record<LinkState, string> = {
  working: 'working',
  never_opened: 'never opened',
  revoked: 'revoked',
  no_link: 'no link',
};

export const REMINDER_COLUMNS = ['name', 'kind', 'country', 'email', 'progress', 'link_state', 'last_opened_utc', 'last_saved_utc'] as const;

/** `YYYY-MM-DD HH:MM` in UTC, or '' for no time. */
export function utcMinute(at: Date | null): string {
  return at ? at.toISOString().slice(0, 16).replace('T', ' ') : '';
}

/** UTF-8 CSV with a byte order mark, one row per respondent, cells neutralised against formulas. */
export function remindersCsv(rows: readonly NotSubmittedRow[]): string {
  return csvWithBom(
    REMINDER_COLUMNS,
    rows.map((r) => [
      r.name,
      r.kind,
      r.country ?? '',
      r.email ?? '',
      r.lastSavedAt ? 'in progress' : 'not started',
      LINK_STATE_LABELS[r.linkState],
      utcMinute(r.lastOpenedAt),
      utcMinute(r.lastSavedAt),
    ]),
  );
}

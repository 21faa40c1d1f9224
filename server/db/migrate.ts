/**
 * Brings a database to the latest schema. Migrations are listed here (not read from a folder) so
 * that the same list runs from source, from tests and from any bundling.
 */
import type { Kysely } from 'kysely';
import { rebuildTallies } from './answer-tally.queries.ts';
import type { Database } from './schema.ts';
import type { Migration } from 'kysely/migration';
import { Migrator } from 'kysely/migration';
import * as initial from './migrations/2026-11-27-0001-initial.ts';
import * as accounts from './migrations/2026-11-27-0002-accounts.ts';
import * as textApproval from './migrations/2026-11-27-0003-text-approval.ts';
import * as exportKey from './migrations/2026-11-27-0004-export-key.ts';
import * as answerTally from './migrations/2026-11-27-0005-answer-tally.ts';
import * as submittedAnswer from './migrations/2026-12-04-0006-submitted-answer.ts';
import * as release from './migrations/2026-12-04-0007-release.ts';
import * as rowFileIssue from './migrations/2026-12-11-0008-row-file-issue.ts';
import * as oneRegistration from './migrations/2026-12-12-0009-one-registration-per-organisation.ts';
import * as phaseLink from './migrations/2026-12-13-0010-phase-link.ts';
import * as mail from './migrations/2026-12-13-0011-mail.ts';

const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27-0001-initial': initial,
  '2026-11-27-0002-accounts': accounts,
  '2026-11-27-0003-text-approval': textApproval,
  '2026-11-27-0004-export-key': exportKey,
  '2026-11-27-0005-answer-tally': answerTally,
  '2026-12-04-0006-submitted-answer': submittedAnswer,
  '2026-12-04-0007-release': release,
  '2026-12-11-0008-row-file-issue': rowFileIssue,
  '2026-12-12-0009-one-registration-per-organisation': oneRegistration,
  '2026-12-13-0010-phase-link': phaseLink,
  '2026-12-13-0011-mail': mail,
};

/**
 * Migrations after which the dashboard's running counts are recomputed from the answer rows: with
 * today's code on the latest schema, so an old migration never runs code written for a newer one.
 * A change to what is counted adds its migration here.
 */
const REBUILD_TALLIES_AFTER = new Set(['2026-11-27-0005-answer-tally', '2026-12-04-0006-submitted-answer']);

/**
 * Applies the migrations up to and including `name`, and no later one: for tests that store data
 * under an earlier schema and then check what a later migration makes of it.
 */
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateTo(name);
  if (error) throw new Error(`migration to ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  if (results?.some((r) => r.status === 'Success' && REBUILD_TALLIES_AFTER.has(r.migrationName))) {
    await (db as Kysely<Database>).transaction().execute((trx) => rebuildTallies(trx));
  }
}

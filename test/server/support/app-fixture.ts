/**
 * An app on a fresh test database, for integration tests through `app.request()`: the fixture
 * questionnaires published, a clock the test moves, and a way to invite a respondent and learn
 * the token of their link (the only moment a token exists outside the link).
 *
 * @example
 *   const fixture = await createAppFixture();
 *   afterEach(() => fixture.close());
 *   const { token } = await fixture.invite();
 *   const browser = new Browser(fixture.app);
 *   await browser.openLink(token);
 */
import path from 'node:path';
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { createApp } from '../../../server/app.ts';
import type { AppDeps, AppEnv } from '../../../server/app-env.ts';
import type { Database } from '../../../server/db/schema.ts';
import { importInvitees } from '../../../server/respondents/import-invitees.ts';
import { findInvitationByTokenHash } from '../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

/** The respondent-flow questionnaires: `flow-gov` (by invitation) and `flow-cs` (open registration). */
export const FLOW_SURVEYS = path.resolve('test/fixtures/surveys-flow');
/** The questionnaires that ship with the toolkit. */
export const SHIPPED_SURVEYS = path.resolve('survey-definitions');
export const PUBLIC_URL = 'https://assess.example.org';
/** Inside the window of the fixture questionnaires (2026-01-01 to 2026-06-30). */
export const WHILE_OPEN = '2026-03-02T09:00:00Z';
/** The day after `flow-gov` and `flow-cs` closed. */
export const AFTER_CLOSING = '2026-07-01T08:00:00Z';

export interface Invited {
  token: string;
  respondentId: number;
  invitationId: number;
}

export interface AppFixture {
  handle: TestDatabase;
  db: Kysely<Database>;
  app: Hono<AppEnv>;
  /** Moves the app's clock (deps.now). */
  setClock(iso: string): void;
  /** Invites one respondent (a government unless told otherwise) and returns the link's token. */
  invite(options?: { surveyId?: string; name?: string; kind?: 'government' | 'civil_society' | 'international_org'; country?: string }): Promise<Invited>;
  /** The rows of the `answer` table of a respondent, ordered (question, item, code). */
  answerRows(respondentId: number): Promise<{ question_id: string; item: string; code: string | null; number: number | null; text: string | null }[]>;
  /** The response row of a respondent (revision, status), if one was started. */
  response(respondentId: number): Promise<{ id: number; revision: number; status: string; survey_version_id: number } | undefined>;
  /** The submission rows of a respondent, oldest first. */
  submissions(respondentId: number): Promise<{ id: number; revision: number; submitted_at: Date }[]>;
  close(): Promise<void>;
}

export async function createAppFixture(
  options: { folder?: string; tokenRateLimit?: number; now?: string; analysis?: Pick<AppDeps, 'analysisQueue' | 'analysisWorkers'> } = {},
): Promise<AppFixture> {
  const handle = await createTestDatabase();
  const report = await syncDefinitions(handle.db, options.folder ?? FLOW_SURVEYS);
  expect(report.problems).toEqual([]);
  let clock = new Date(options.now ?? WHILE_OPEN);
  const app = createApp({
    db: handle.db,
    databaseKind: handle.kind,
    publicUrl: PUBLIC_URL,
    // Long enough that moving the clock past a closing date does not end the test's sessions.
    sessionDays: 365,
    trustProxy: false,
    surveysDir: options.folder ?? FLOW_SURVEYS,
    now: () => clock,
    ...(options.tokenRateLimit !== undefined ? { tokenRateLimit: options.tokenRateLimit } : {}),
    ...options.analysis,
  });
  return {
    handle,
    db: handle.db,
    app,
    setClock(iso) {
      clock = new Date(iso);
    },
    async invite({ surveyId = 'flow-gov', name = 'Kenya', kind = 'government', country = 'KEN' } = {}) {
      const csvText = `name,kind,country\n"${name}",${kind},${country}\n`;
      const result = await importInvitees(handle.db, { surveyId, csvText, publicUrl: PUBLIC_URL, actor: 'test' });
      if (!result.ok) throw new Error(`invitation failed: ${JSON.stringify(result.errors)}`);
      const token = result.rows[0]!.link.slice(`${PUBLIC_URL}/r/`.length);
      const invitation = await findInvitationByTokenHash(handle.db, hashToken(token));
      if (!invitation) throw new Error('the invitation just made is not found');
      return { token, respondentId: invitation.respondentId, invitationId: invitation.invitationId };
    },
    answerRows: (respondentId) =>
      handle.db
        .selectFrom('answer')
        .innerJoin('response', 'response.id', 'answer.response_id')
        .select(['answer.question_id', 'answer.item', 'answer.code', 'answer.number', 'answer.text'])
        .where('response.respondent_id', '=', respondentId)
        .orderBy('answer.question_id')
        .orderBy('answer.item')
        .orderBy('answer.code')
        .execute(),
    response: (respondentId) =>
      handle.db.selectFrom('response').select(['id', 'revision', 'status', 'survey_version_id']).where('respondent_id', '=', respondentId).executeTakeFirst(),
    submissions: (respondentId) =>
      handle.db
        .selectFrom('submission')
        .innerJoin('response', 'response.id', 'submission.response_id')
        .select(['submission.id', 'submission.revision', 'submission.submitted_at'])
        .where('response.respondent_id', '=', respondentId)
        .orderBy('submission.revision')
        .execute(),
    close: () => handle.close(),
  };
}

/**
 * The respondent's path: read the state of a response, save answers, submit. Every write runs in
 * one transaction with the response row locked, so two editors are serialised: the second sees
 * that the revision it was based on is gone and gets a conflict, never a silent overwrite.
 *
 * A save or submission a respondent cannot make (a conflict, invalid answers, a closed
 * questionnaire) is an outcome, returned by `trySaveAnswers` / `trySubmitResponse`;
 * `saveAnswers` / `submitResponse` throw it instead, for callers that expect success.
 */
import type { Kysely } from 'kysely';
import { questionOfKey, type Answers, type UncheckedAnswers } from '../../survey-definitions/answers.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { validateAnswers, type AnswerProblem } from '../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import type { Database, RespondentRow } from '../db/schema.ts';
import { AppError, ok, refuse, valueOr, type ErrorCode, type Outcome, type Refusal } from '../errors.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { getCurrentSurveyVersion, getSurveyVersion, type SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { answerChanges, type AnswerChange } from './answer-changes.ts';
import { answerRows } from '../db/answer-rows.ts';
import { applyTally, withTally } from '../db/answer-tally.queries.ts';
import {
  findResponse,
  findSubmission,
  getRespondent,
  getRevisionAnswers,
  insertResponseIfMissing,
  insertSubmission,
  listSubmissions,
  writeRevision,
} from './responses.queries.ts';
import { surveyWindow, type SurveyWindow } from './survey-window.ts';
import { registrationAnswers } from '../respondents/registration-questions.ts';

export type ResponseStatus = 'not_started' | 'in_progress' | 'submitted';

export interface ResponseState {
  respondent: RespondentRow;
  /** The questionnaire version the answers are pinned to (the current one before the first save). */
  version: SurveyVersion;
  status: ResponseStatus;
  revision: number;
  answers: Answers;
  language: string | null;
  /**
   * When the questionnaire accepts answers: the dates of its current version, for every respondent
   * (a response pinned to an earlier version keeps its questions, not its dates).
   */
  dates: SurveyDates;
  window: SurveyWindow;
  /** Revision and time of the latest submission. */
  submittedRevision: number | null;
  submittedAt: Date | null;
  /** Saved changes made after the latest submission. */
  unsubmittedChanges: boolean;
  submissions: { id: number; revision: number; submittedAt: Date }[];
}

/** The body of a 409: what a colleague changed since the revision the save was based on. */
export interface ConflictDetails {
  currentRevision: number;
  changes: AnswerChange[];
}

export type SurveyDates = Pick<SurveyDefinition, 'opens' | 'closes'>;

/**
 * The dates of the questionnaire's current version: publishing a version that moves `closes`
 * (earlier, or later to extend the deadline) reaches respondents pinned to older versions too.
 */
async function currentDates(db: Kysely<Database>, surveyId: string, fallback: SurveyVersion): Promise<SurveyDates> {
  const current = await getCurrentSurveyVersion(db, surveyId);
  const definition = (current ?? fallback).definition;
  return { opens: definition.opens, closes: definition.closes };
}

async function loadVersion(db: Kysely<Database>, versionId: number): Promise<SurveyVersion> {
  const version = await getSurveyVersion(db, versionId);
  if (!version) throw new AppError('internal', `questionnaire version ${versionId} is missing`);
  return version;
}

/** Everything a form page or the API needs to show a respondent's response. */
export async function getResponseState(db: Kysely<Database>, respondentId: number, now: Date): Promise<ResponseState> {
  const respondent = await getRespondent(db, respondentId);
  if (!respondent) throw new AppError('invalid_link', 'This link is not valid.');
  const response = await findResponse(db, respondentId);
  const version = response ? await loadVersion(db, response.survey_version_id) : await getCurrentSurveyVersion(db, respondent.survey_id);
  if (!version) throw new AppError('not_found', `The questionnaire '${respondent.survey_id}' is not available.`);
  const answers = response ? ((await getRevisionAnswers(db, response.id, response.revision)) ?? {}) : {};
  const status: ResponseStatus = !response || (response.revision === 0 && response.status === 'in_progress') ? 'not_started' : response.status;
  const dates = await currentDates(db, respondent.survey_id, version);
  return {
    respondent,
    version,
    status,
    revision: response?.revision ?? 0,
    answers,
    language: response?.language ?? null,
    dates,
    window: surveyWindow(dates, now),
    submittedRevision: response?.submitted_revision ?? null,
    submittedAt: response?.submitted_at ?? null,
    unsubmittedChanges: response?.submitted_revision != null && response.revision > response.submitted_revision,
    submissions: response ? await listSubmissions(db, response.id) : [],
  };
}

/** Opens (or reopens) a respondent's response, pinning it to the current questionnaire version. */
export async function startResponse(db: Kysely<Database>, respondent: Pick<RespondentRow, 'id' | 'survey_id'>, language: Language): Promise<void> {
  const version = await getCurrentSurveyVersion(db, respondent.survey_id);
  if (!version) throw new AppError('not_found', `The questionnaire '${respondent.survey_id}' is not available.`);
  await insertResponseIfMissing(db, respondent.id, version.id, language);
}

export interface SaveRequest {
  respondentId: number;
  /** The revision the editor's page or client was showing. */
  baseRevision: number;
  /** The answers given, checked here (an API client may send anything). */
  answers: UncheckedAnswers;
  /** `all` replaces every answer (API PUT); a list replaces only those questions (one form page). */
  scope: 'all' | string[];
  language: Language;
  now: Date;
}

export interface SubmitRequest {
  respondentId: number;
  /** The revision the respondent reviewed; without it, the latest saved one. */
  baseRevision?: number;
  now: Date;
}

/** A saved draft: its revision and the answers as stored. */
export interface SavedAnswers {
  revision: number;
  answers: Answers;
}

/** The receipt of a submission. */
export interface SubmissionReceipt {
  submissionId: number;
  revision: number;
  submittedAt: Date;
  /** The revision was submitted before: nothing changed, the first receipt is returned. */
  alreadySubmitted: boolean;
}

/** A refusal that always carries its details. */
type Detailed<Code extends ErrorCode, Details> = Refusal<Code, Details> & { details: Details };

/** Why answers were not saved or submitted: a colleague's save came first, an answer is invalid (or missing), or the questionnaire is not open. */
export type AnswerRefusal = Detailed<'conflict', ConflictDetails> | Detailed<'validation', AnswerProblem[]> | Refusal<'closed'>;

type Refused = { ok: false; refusal: AnswerRefusal };

function closedRefusal(window: SurveyWindow, definition: SurveyDates): Refused | undefined {
  if (window === 'closed') return refuse('closed', `This questionnaire closed on ${definition.closes}; answers can no longer be changed.`);
  if (window === 'not_yet_open') return refuse('closed', `This questionnaire opens on ${definition.opens}.`);
  return undefined;
}

async function conflict(db: Kysely<Database>, responseId: number, baseRevision: number, currentRevision: number, current: Answers): Promise<Refused> {
  const base = (baseRevision >= 0 && baseRevision < currentRevision ? await getRevisionAnswers(db, responseId, baseRevision) : undefined) ?? {};
  const details: ConflictDetails = { currentRevision, changes: answerChanges(base, current) };
  return {
    ok: false,
    refusal: {
      code: 'conflict',
      message: `These answers were changed by someone else since you opened them (revision ${baseRevision} -> ${currentRevision}).`,
      details,
    },
  };
}

/** The refusal of answers with problems, listing them. */
export function invalidAnswers(problems: AnswerProblem[]): Refused {
  const message = `${problems.length} answer${problems.length === 1 ? '' : 's'} need${problems.length === 1 ? 's' : ''} attention.`;
  return { ok: false, refusal: { code: 'validation', message, details: problems } };
}

/**
 * Saves a draft. Refuses with `conflict` (and {@link ConflictDetails}) when the base revision is
 * not the latest, `validation` (and the problems) when an answer is invalid, `closed` outside the
 * questionnaire's dates; a refused save stores nothing. Returns the new revision and the answers
 * as stored.
 */
export async function trySaveAnswers(db: Kysely<Database>, request: SaveRequest): Promise<Outcome<SavedAnswers, AnswerRefusal>> {
  const respondent = await getRespondent(db, request.respondentId);
  if (!respondent) throw new AppError('invalid_link', 'This link is not valid.');
  return transactionOutcome(db.transaction(), async (trx): Promise<Outcome<SavedAnswers, AnswerRefusal>> => {
    let response = await findResponse(trx, request.respondentId, { lock: true });
    if (!response) {
      // Started inside the transaction: a refused or failed first save leaves no response behind.
      await startResponse(trx, respondent, request.language);
      response = await findResponse(trx, request.respondentId, { lock: true });
      if (!response) throw new AppError('internal', 'response vanished');
    }
    const version = await getSurveyVersion(trx, response.survey_version_id);
    if (!version) throw new AppError('internal', `questionnaire version ${response.survey_version_id} is missing`);
    const definition = version.definition;
    const dates = await currentDates(trx, respondent.survey_id, version);
    const closed = closedRefusal(surveyWindow(dates, request.now), dates);
    if (closed) return closed;
    const current = (await getRevisionAnswers(trx, response.id, response.revision)) ?? {};
    if (request.baseRevision !== response.revision) return conflict(trx, response.id, request.baseRevision, response.revision, current);

    let merged: UncheckedAnswers = request.answers;
    if (request.scope !== 'all') {
      const replaced = new Set(request.scope);
      merged = Object.fromEntries(Object.entries(current).filter(([key]) => !replaced.has(questionOfKey(key))));
      Object.assign(merged, request.answers);
    }
    // An organisation's registration answers its questions on type and country; nothing saved may contradict it.
    merged = { ...merged, ...registrationAnswers(definition, respondent) };
    const { answers, problems } = validateAnswers(definition, merged, 'draft');
    if (problems.length) return invalidAnswers(problems);
    const revision = response.revision + 1;
    // Figures of submitted responses count the latest submission: a saved amendment changes none
    // of them until it is submitted.
    await writeRevision(
      trx,
      { id: response.id, revision },
      {
        answers,
        rows: answerRows(definition, answers),
        hidden: [...hiddenQuestions(definition, answers)],
        language: request.language,
        at: request.now,
      },
    );
    return ok({ revision, answers });
  });
}

/** {@link trySaveAnswers}, a refusal thrown as an `AppError` (for callers that expect every save to succeed: scripts, the demo, tests). */
export async function saveAnswers(db: Kysely<Database>, request: SaveRequest): Promise<SavedAnswers> {
  return valueOr(await trySaveAnswers(db, request));
}

/**
 * Submits the latest saved answers. Submitting a revision that is already submitted changes
 * nothing and returns the same receipt; a submission with missing required answers is refused
 * with `validation` listing them, one based on an older revision with `conflict`, one outside the
 * questionnaire's dates with `closed`.
 */
export async function trySubmitResponse(db: Kysely<Database>, request: SubmitRequest): Promise<Outcome<SubmissionReceipt, AnswerRefusal>> {
  return transactionOutcome(db.transaction(), async (trx): Promise<Outcome<SubmissionReceipt, AnswerRefusal>> => {
    const response = await findResponse(trx, request.respondentId, { lock: true });
    const version = response ? await getSurveyVersion(trx, response.survey_version_id) : undefined;
    if (!response || !version) {
      const respondent = await getRespondent(trx, request.respondentId);
      const current = respondent && (await getCurrentSurveyVersion(trx, respondent.survey_id));
      if (!current) throw new AppError('invalid_link', 'This link is not valid.');
      return (
        closedRefusal(surveyWindow(current.definition, request.now), current.definition) ??
        invalidAnswers(validateAnswers(current.definition, {}, 'submit').problems)
      );
    }
    if (request.baseRevision !== undefined && request.baseRevision !== response.revision) {
      const current = (await getRevisionAnswers(trx, response.id, response.revision)) ?? {};
      return conflict(trx, response.id, request.baseRevision, response.revision, current);
    }
    if (response.submitted_revision === response.revision) {
      const existing = await findSubmission(trx, response.id, response.revision);
      if (existing) return ok({ submissionId: existing.id, revision: response.revision, submittedAt: existing.submittedAt, alreadySubmitted: true });
    }
    const dates = await currentDates(trx, version.surveyId, version);
    const closed = closedRefusal(surveyWindow(dates, request.now), dates);
    if (closed) return closed;
    const answers = (await getRevisionAnswers(trx, response.id, response.revision)) ?? {};
    const { problems } = validateAnswers(version.definition, answers, 'submit');
    if (problems.length) return invalidAnswers(problems);
    // A submission replaces what the response contributes to the figures: nothing before the first one,
    // the answers of the previous submission before a later one.
    const submission = await withTally(trx, [response.id], response.status === 'submitted', () =>
      insertSubmission(trx, { id: response.id, revision: response.revision, surveyVersionId: version.id }, answers, request.now),
    );
    if (submission.created && response.status !== 'submitted') await applyTally(trx, [response.id], 1);
    return ok({ submissionId: submission.id, revision: response.revision, submittedAt: submission.submittedAt, alreadySubmitted: !submission.created });
  });
}

/** {@link trySubmitResponse}, a refusal thrown as an `AppError` (for callers that expect every submission to succeed). */
export async function submitResponse(db: Kysely<Database>, request: SubmitRequest): Promise<SubmissionReceipt> {
  return valueOr(await trySubmitResponse(db, request));
}

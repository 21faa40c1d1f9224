/**
 * The work of the submission benchmark, shared by the HTTP clients and the raw-driver ceiling:
 * the invited governments (one per UN member state, as the government questionnaire allows),
 * their links, and complete valid answer sets generated from the shipped questionnaire.
 *
 * A government can have only one respondent per questionnaire, so there are at most 193 links.
 * A "submission" is a full save followed by a submit; once every link has submitted, the next
 * submissions are amendments (a new revision, submitted again), which is what a government does
 * when it corrects its reply. The raw ceiling replays exactly the same sequence.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Answers } from '../survey-definitions/answers.ts';
import type { SurveyDefinition } from '../survey-definitions/types.ts';
import { hiddenQuestions } from '../survey-definitions/visibility.ts';
import type { Database } from '../server/db/schema.ts';
import { planDemo } from '../server/demo/demo-population.ts';
import { generateValidAnswers } from '../server/demo/generate-answers.ts';
import { createRandom } from '../server/demo/random.ts';
import { importInvitees } from '../server/respondents/import-invitees.ts';
import { answerRows, type AnswerRow } from '../server/db/answer-rows.ts';
import { getCurrentSurveyVersion } from '../server/surveys/survey-versions.queries.ts';
import { syncDefinitions } from '../server/surveys/sync-definitions.ts';

export const SURVEY_ID = 'government-assessment';
export const ROOT = path.resolve(import.meta.dirname, '..');
export const SURVEYS_DIR = path.join(ROOT, 'survey-definitions');

/** One answer set with what the server derives from it, so the raw ceiling writes the same rows. */
export interface AnswerSet {
  answers: Answers;
  /** `JSON.stringify(answers)`, as the server stores it in response_revision and submission. */
  json: string;
  rows: AnswerRow[];
  hidden: string[];
}

export interface InvitedGovernment {
  respondentId: number;
  token: string;
  language: 'en' | 'fr' | 'es';
  /** Answer sets used in turn: the first submission, then each amendment. */
  answerSets: AnswerSet[];
}

export interface Workload {
  surveyVersionId: number;
  definition: SurveyDefinition;
  governments: InvitedGovernment[];
}

/**
 * Publishes the questionnaires and invites every UN member state's government to the government
 * questionnaire through `importInvitees` (the same path as the CLI). Deterministic for a seed.
 */
export async function prepareWorkload(db: Kysely<Database>, options: { seed: string; variants: number }): Promise<Workload> {
  await syncDefinitions(db, SURVEYS_DIR);
  const version = await getCurrentSurveyVersion(db, SURVEY_ID);
  if (!version) throw new Error(`${SURVEY_ID} was not published from ${SURVEYS_DIR}`);
  const definition = version.definition;
  const window = { opens: definition.opens, closes: definition.closes };
  const invitees = planDemo({
    responses: 0,
    seed: options.seed,
    windows: { government: window, civil_society: window },
    orgTypes: ['ngo_human_rights_organisation'],
    openRegistration: false,
  }).filter((i) => i.profile.kind === 'government');
  const csvText = [
    'name,kind,country,roles',
    ...invitees.map((i) => `"${i.name.replaceAll('"', '""')}",government,${i.profile.country},${i.profile.roles.join(';')}`),
  ].join('\n');
  const imported = await importInvitees(db, { surveyId: SURVEY_ID, csvText, publicUrl: 'http://bench.invalid', actor: 'bench' });
  if (!imported.ok) throw new Error(`invitee import failed: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  const byCountry = new Map(invitees.map((i) => [i.profile.country, i]));
  const respondents = await db.selectFrom('respondent').select(['id', 'country']).where('survey_id', '=', SURVEY_ID).execute();
  const idOf = new Map(respondents.map((r) => [r.country, r.id]));
  const governments = imported.rows.map((row) => {
    const invitee = byCountry.get(row.country!)!;
    const answerSets = Array.from({ length: options.variants }, (_, v) => {
      const answers = generateValidAnswers(definition, invitee.profile, createRandom(`${options.seed}:answers:${invitee.index}:${v}`));
      return { answers, json: JSON.stringify(answers), rows: answerRows(definition, answers), hidden: [...hiddenQuestions(definition, answers)] };
    });
    return { respondentId: idOf.get(row.country!)!, token: row.link.slice(row.link.lastIndexOf('/') + 1), language: invitee.profile.language, answerSets };
  });
  return { surveyVersionId: version.id, definition, governments };
}

/**
 * Hands out governments to concurrent clients: a client takes the one that has waited longest
 * and gives it back when its submission is done, so no two clients ever edit the same response
 * (which would be a legitimate 409 conflict, not a failure).
 */
export class GovernmentQueue {
  private readonly free: number[];
  private readonly uses: number[];
  private readonly waiters: ((index: number) => void)[] = [];

  constructor(private readonly governments: readonly InvitedGovernment[]) {
    this.free = governments.map((_, i) => i);
    this.uses = governments.map(() => 0);
  }

  /**
   * The next free government, its use number (0 = first submission) and the answers to send; or
   * undefined if none came free before `deadline` (a `performance.now()` time).
   */
  async take(deadline = Infinity): Promise<{ index: number; government: InvitedGovernment; use: number; answerSet: AnswerSet } | undefined> {
    let index = this.free.shift();
    if (index === undefined) {
      index = await new Promise<number | undefined>((resolve) => {
        const waiter = (i: number) => {
          clearTimeout(timer);
          resolve(i);
        };
        const timer = Number.isFinite(deadline)
          ? setTimeout(
              () => {
                this.waiters.splice(this.waiters.indexOf(waiter), 1);
                resolve(undefined);
              },
              Math.max(0, deadline - performance.now()),
            )
          : undefined;
        this.waiters.push(waiter);
      });
      if (index === undefined) return undefined;
    }
    const government = this.governments[index]!;
    const use = this.uses[index]!;
    return { index, government, use, answerSet: government.answerSets[use % government.answerSets.length]! };
  }

  give(index: number): void {
    this.uses[index]!++;
    const waiter = this.waiters.shift();
    if (waiter) waiter(index);
    else this.free.push(index);
  }
}

/** Latency summary of one kind of operation, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Percentiles by the nearest-rank method over every sample. A sorted array is exact and at these
 * sizes (tens of thousands of samples) costs milliseconds, so no histogram library is needed.
 */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
  };
}

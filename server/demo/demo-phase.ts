/**
 * The demo's second phase: the 2011 respondents carried into the 2012 stocktake questionnaires by
 * `phase open` (the same code a real team runs), most of them answering again, so that the Trends
 * page and a release that compares phases show something on a fresh machine.
 *
 * A tied question keeps a respondent's 2011 answer more often than not, with two plausible moves:
 * the Support Unit is rated higher after 2011 (its row of the bodies' effectiveness moves up a
 * point for many), and more want the Forum closer to the UN after 2013. Other questions are drawn
 * afresh from the respondent's profile, as in the first phase. Answers are checked as a submission.
 */
import type { Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/answers.ts';
import { trendPairs, type TrendPair } from '../../survey-definitions/check-trends.ts';
import type { Question } from '../../survey-definitions/types.ts';
import { validateAnswers } from '../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { answerRows } from '../db/answer-rows.ts';
import type { Database } from '../db/schema.ts';
import { openPhase } from '../respondents/phase-open.ts';
import type { SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { allocateIds, insertDemoRows, type DemoRows } from './demo.queries.ts';
import { generateValidAnswers } from './generate-answers.ts';
import type { RespondentProfile } from './opinion-model.ts';
import { createRandom, type Random } from './random.ts';

/** A first-phase respondent of the demo: its profile, and its submitted answers (null if it did not submit). */
export interface FirstPhaseRespondent {
  profile: RespondentProfile;
  answers: Answers | null;
}

export interface LaterPhaseCounts {
  surveyId: string;
  fromSurveyId: string;
  carried: number;
  submitted: number;
  inProgress: number;
}

/** Who answers again: most of those who submitted in 2011, a few who did not. */
const ANSWER_AGAIN = { government: 0.8, civil_society: 0.65 } as const;
const ANSWER_LATE = 0.05;
/** A tied question's 2011 answer is kept with this probability (then moved as described above). */
const KEEP_ANSWER = 0.7;
const DAY_MS = 86_400_000;

/**
 * Carries the first phase's respondents of `earlier` into `later` and writes their 2012 responses.
 * `firstPhase` maps a first-phase respondent id to its profile and answers.
 */
export async function writeLaterPhase(
  db: Kysely<Database>,
  input: { earlier: SurveyVersion; later: SurveyVersion; firstPhase: ReadonlyMap<number, FirstPhaseRespondent>; seed: string },
): Promise<LaterPhaseCounts> {
  const { earlier, later, firstPhase, seed } = input;
  const opened = await openPhase(db, { surveyId: later.surveyId, fromSurveyId: earlier.surveyId, publicUrl: 'http://localhost:3000', actor: 'cli' });
  const pairs = trendPairs(earlier.definition, later.definition);
  const counts: LaterPhaseCounts = { surveyId: later.surveyId, fromSurveyId: earlier.surveyId, carried: opened.carried.length, submitted: 0, inProgress: 0 };
  const rows: DemoRows = { respondents: [], invitations: [], responses: [], revisions: [], answers: [], submissions: [] };
  const answering = opened.carried.flatMap((c) => {
    const first = firstPhase.get(c.previousRespondentId);
    if (!first) return [];
    const random = createRandom(`${seed}:phase:${later.surveyId}:${c.previousRespondentId}`);
    const again = first.answers ? ANSWER_AGAIN[first.profile.kind] : ANSWER_LATE;
    return random.chance(again) ? [{ carried: c, first, random }] : [];
  });
  const responseIds = await allocateIds(db, 'response', answering.length);
  const opens = Date.parse(`${later.definition.opens}T00:00:00Z`);
  const span = Date.parse(`${later.definition.closes}T00:00:00Z`) + DAY_MS - 1 - opens;
  answering.forEach(({ carried, first, random }, i) => {
    const answers = laterAnswers(later, pairs, first, random);
    const submitted = random.chance(0.9);
    const savedAt = new Date(opens + Math.floor(random.next() * span * 0.9));
    const startedAt = new Date(savedAt.getTime() - random.int(10, 90) * 60_000);
    const responseId = responseIds[i]!;
    const hidden = [...hiddenQuestions(later.definition, answers)];
    rows.responses.push({
      id: responseId,
      respondent_id: carried.respondentId,
      survey_version_id: later.id,
      language: first.profile.language,
      revision: 1,
      status: submitted ? 'submitted' : 'in_progress',
      submitted_revision: submitted ? 1 : null,
      hidden_questions: hidden,
      submitted_hidden_questions: submitted ? hidden : [],
      created_at: startedAt,
      updated_at: savedAt,
      first_submitted_at: submitted ? savedAt : null,
      submitted_at: submitted ? savedAt : null,
    });
    const json = JSON.stringify(answers);
    rows.revisions.push({ response_id: responseId, revision: 1, answers: json, saved_at: savedAt });
    for (const row of answerRows(later.definition, answers)) rows.answers.push({ response_id: responseId, ...row });
    if (submitted) rows.submissions.push({ response_id: responseId, revision: 1, survey_version_id: later.id, answers: json, submitted_at: savedAt });
    if (submitted) counts.submitted++;
    else counts.inProgress++;
  });
  await db.transaction().execute((trx) => insertDemoRows(trx, rows));
  return counts;
}

/** Fresh answers from the profile, with tied questions' 2011 answers kept (and moved) where that stays valid. */
function laterAnswers(later: SurveyVersion, pairs: readonly TrendPair[], first: FirstPhaseRespondent, random: Random): Answers {
  const fresh = generateValidAnswers(later.definition, first.profile, random);
  if (!first.answers) return fresh;
  const answers: Answers = { ...fresh };
  for (const pair of pairs) {
    const before = first.answers[pair.earlierQuestion.id];
    if (before === undefined || !random.chance(KEEP_ANSWER)) continue;
    const carried = carryAnswer(pair, before, random);
    if (carried === undefined) continue;
    const attempt = { ...answers, [pair.laterQuestion.id]: carried };
    // A kept answer may not fit the new skip logic or limits: then the fresh one stays.
    if (validateAnswers(later.definition, attempt, 'submit').problems.length === 0) answers[pair.laterQuestion.id] = carried;
  }
  return answers;
}

/** A 2011 answer in the 2012 question's codes, moved as the demo's story has it; undefined where it cannot be carried. */
function carryAnswer(pair: TrendPair, before: Answers[string], random: Random): Answers[string] | undefined {
  const toLater = new Map<string, string>();
  for (const [laterCode, earlierCode] of Object.entries(pair.codeMap)) if (!toLater.has(earlierCode)) toLater.set(earlierCode, laterCode);
  const code = (c: string) => toLater.get(c) ?? c;
  const q = pair.laterQuestion;
  if (typeof before === 'string') {
    if (
      q.type === 'single_choice' &&
      q.options.some((o) => o.code === 'continue_closer_un_link') &&
      ['continue_as_now', 'continue_reformed_structure'].includes(before) &&
      random.chance(0.35)
    ) {
      return 'continue_closer_un_link';
    }
    return code(before);
  }
  if (Array.isArray(before)) return before.map(code);
  if (typeof before === 'object' && q.type === 'matrix') {
    const moved: Record<string, string> = {};
    for (const [row, point] of Object.entries(before))
      moved[code(row)] = row === 'support_unit' && random.chance(0.6) ? higherPoint(q, code(point)) : code(point);
    return moved;
  }
  return typeof before === 'number' ? before : undefined;
}

/** The next point up a matrix's scale (the same point at the top, or for "no basis to judge"). */
function higherPoint(question: Extract<Question, { type: 'matrix' }>, point: string): string {
  const points = [...question.scale.points].sort((a, b) => a.value - b.value);
  const at = points.findIndex((p) => p.code === point);
  return at < 0 || at === points.length - 1 ? point : points[at + 1]!.code;
}

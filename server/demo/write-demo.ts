/**
 * Fills a database with a synthetic demo: invitations for every UN member state's government and
 * for invented civil society organisations, and responses generated from the questionnaires'
 * definitions. Written in batches, each in one transaction of multi-row inserts.
 *
 * The data are synthetic: the writer refuses a database that already holds respondents or
 * responses unless forced, and records what it did in the audit log.
 */
import type { Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/answers.ts';
import { validateAnswers } from '../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { existingGovernmentCountries } from '../respondents/respondents.queries.ts';
import { newInvitationToken } from '../respondents/tokens.ts';
import { answerRows } from '../db/answer-rows.ts';
import { listCurrentSurveyVersions, type SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { allocateIds, countExistingData, insertDemoRows, type DemoRows } from './demo.queries.ts';
import { planDemo, type DemoInvitee } from './demo-population.ts';
import { answersOfFirstSections, generateValidAnswers, InvalidDemoAnswersError } from './generate-answers.ts';
import { createRandom } from './random.ts';
import { writeLaterPhase, type FirstPhaseRespondent, type LaterPhaseCounts } from './demo-phase.ts';

export interface DemoOptions {
  /** Responses in total, split between the two questionnaires. */
  responses: number;
  seed: string;
  /** Add the demo even though the database already holds data. */
  force?: boolean;
  /** Responses per transaction (default: a fortieth of the total, from 50 to 500). */
  batchSize?: number;
  /** Called after each batch with the responses written so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoGroupCounts {
  surveyId: string;
  invited: number;
  submitted: number;
  inProgress: number;
}

export interface DemoResult {
  government: DemoGroupCounts;
  civilSociety: DemoGroupCounts;
  answerRows: number;
  /** The second phase (the 2012 stocktake), where its questionnaires are published: respondents carried and answering again. */
  laterPhases: LaterPhaseCounts[];
}

/**
 * @throws AppError `conflict` if the database already holds respondents or responses and `force`
 *   is not set; `not_found` if no questionnaire for governments or for civil society is published.
 * @throws InvalidDemoAnswersError if a generated answer set is not valid (a generator bug).
 * @example
 *   await syncDefinitions(db, config.surveysDir);
 *   const result = await writeDemoData(db, { responses: 500, seed: '1' });
 */
export async function writeDemoData(db: Kysely<Database>, options: DemoOptions): Promise<DemoResult> {
  const existing = await countExistingData(db);
  if ((existing.respondents || existing.responses) && !options.force) {
    throw new AppError(
      'conflict',
      `This database already holds ${existing.respondents} respondent(s) and ${existing.responses} response(s). ` +
        'The demo never mixes synthetic data into real data: use an empty database (another DATA_DIR or DATABASE_URL), or --force to add it anyway.',
    );
  }
  const versions = await listCurrentSurveyVersions(db);
  const government = surveyFor(versions, 'government');
  const civilSociety = surveyFor(versions, 'civil_society');
  const orgTypeQuestion = civilSociety.definition.sections.flatMap((s) => s.questions).find((q) => q.type === 'single_choice' && q.id.endsWith('org_type'));
  const plan = planDemo({
    responses: options.responses,
    seed: options.seed,
    windows: { government: government.definition, civil_society: civilSociety.definition },
    orgTypes: orgTypeQuestion && 'options' in orgTypeQuestion ? orgTypeQuestion.options.filter((o) => !o.specify).map((o) => o.code) : [],
    openRegistration: civilSociety.definition.open_registration,
    skipCountries: await existingGovernmentCountries(db, government.surveyId),
  });

  const result: DemoResult = {
    government: { surveyId: government.surveyId, invited: 0, submitted: 0, inProgress: 0 },
    civilSociety: { surveyId: civilSociety.surveyId, invited: 0, submitted: 0, inProgress: 0 },
    answerRows: 0,
    laterPhases: [],
  };
  const firstPhase = new Map<number, FirstPhaseRespondent>();
  const total = plan.filter((i) => i.response).length;
  // About forty batches, so that the progress bar moves, but not so small that statements multiply.
  const batchSize = options.batchSize ?? Math.min(500, Math.max(50, Math.ceil(total / 40)));
  let done = 0;
  let batch: DemoInvitee[] = [];
  const flush = async () => {
    const responses = batch.filter((i) => i.response).length;
    const invitees = batch;
    batch = [];
    // Answers are generated before the transaction opens, so that it stays short.
    const rows = await buildBatch(db, invitees, { government, civilSociety, seed: options.seed, firstPhase }, result);
    await db.transaction().execute((trx) => insertDemoRows(trx, rows));
    done += responses;
    options.onProgress?.(done, total);
  };
  options.onProgress?.(0, total);
  let responsesInBatch = 0;
  for (const invitee of plan) {
    batch.push(invitee);
    if (invitee.response) responsesInBatch++;
    // Non-responding invitees are cheap rows: a batch holds up to four times as many.
    if (responsesInBatch >= batchSize || batch.length >= batchSize * 4) {
      await flush();
      responsesInBatch = 0;
    }
  }
  if (batch.length) await flush();
  for (const earlier of [government, civilSociety]) {
    const later = laterPhaseOf(versions, earlier);
    if (later) result.laterPhases.push(await writeLaterPhase(db, { earlier, later, firstPhase, seed: options.seed }));
  }
  await insertAuditEntry(db, {
    actor: 'cli',
    action: 'demo.generate',
    subject: null,
    details: {
      synthetic: true,
      seed: options.seed,
      responses: total,
      governmentsInvited: result.government.invited,
      civilSocietyInvited: result.civilSociety.invited,
      laterPhases: result.laterPhases.map((p) => ({ survey: p.surveyId, carried: p.carried, submitted: p.submitted })),
    },
  });
  return result;
}

function surveyFor(versions: SurveyVersion[], kind: 'government' | 'civil_society'): SurveyVersion {
  // The demo fills the first phase of the assessment (a questionnaire without a phase counts as
  // first), not the 2012 stocktake; within it, a questionnaire meant for this kind only is
  // preferred over one shared with others.
  const phase = (v: SurveyVersion) => v.definition.phase ?? 0;
  const candidates = versions
    .filter((v) => v.definition.audience.includes(kind))
    .sort((a, b) => phase(a) - phase(b) || a.definition.audience.length - b.definition.audience.length);
  if (!candidates[0])
    throw new AppError('not_found', `No questionnaire for ${kind === 'government' ? 'governments' : 'civil society'} is published; check SURVEYS_DIR.`);
  return candidates[0];
}

/** The questionnaire of the next phase for the same respondents as `earlier` (its audience, a later phase), if published. */
function laterPhaseOf(versions: SurveyVersion[], earlier: SurveyVersion): SurveyVersion | undefined {
  const phase = earlier.definition.phase;
  if (phase === undefined) return undefined;
  return versions
    .filter((v) => v.definition.phase !== undefined && v.definition.phase > phase && v.definition.audience.some((k) => earlier.definition.audience.includes(k)))
    .sort((a, b) => a.definition.phase! - b.definition.phase! || a.definition.audience.length - b.definition.audience.length)[0];
}

/** The rows of one batch, with ids taken from the tables' sequences. */
async function buildBatch(
  db: Kysely<Database>,
  invitees: DemoInvitee[],
  context: { government: SurveyVersion; civilSociety: SurveyVersion; seed: string; firstPhase: Map<number, FirstPhaseRespondent> },
  result: DemoResult,
): Promise<DemoRows> {
  const rows: DemoRows = { respondents: [], invitations: [], responses: [], revisions: [], answers: [], submissions: [] };
  const respondentIds = await allocateIds(db, 'respondent', invitees.length);
  const responseIds = await allocateIds(db, 'response', invitees.filter((i) => i.response).length);
  let nextResponse = 0;
  invitees.forEach((invitee, i) => {
    const { profile, response } = invitee;
    const version = profile.kind === 'government' ? context.government : context.civilSociety;
    const counts = profile.kind === 'government' ? result.government : result.civilSociety;
    const respondentId = respondentIds[i]!;
    counts.invited++;
    rows.respondents.push({
      id: respondentId,
      survey_id: version.surveyId,
      kind: profile.kind,
      name: invitee.name,
      country: profile.country,
      region: profile.region,
      subregion: profile.subregion,
      roles: [...profile.roles],
      org_type: profile.orgType,
      email: null,
      source: invitee.source,
      created_at: invitee.invitedAt,
    });
    rows.invitations.push({
      respondent_id: respondentId,
      // The demo prints no links: the token is dropped and only its hash stored, as for real ones.
      token_hash: newInvitationToken().hash,
      created_at: invitee.invitedAt,
      revoked_at: null,
      first_opened_at: response?.startedAt ?? null,
      last_opened_at: response?.savedAt ?? null,
    });
    context.firstPhase.set(respondentId, { profile, answers: null });
    if (!response) return;
    const responseId = responseIds[nextResponse++]!;
    const definition = version.definition;
    const answers = storedAnswers(
      version,
      generateValidAnswers(definition, profile, createRandom(`${context.seed}:answers:${invitee.index}`)),
      response.progress,
    );
    const submitted = response.status === 'submitted';
    context.firstPhase.set(respondentId, { profile, answers: submitted ? answers : null });
    if (submitted) counts.submitted++;
    else counts.inProgress++;
    const hidden = [...hiddenQuestions(definition, answers)];
    rows.responses.push({
      id: responseId,
      respondent_id: respondentId,
      survey_version_id: version.id,
      language: profile.language,
      revision: 1,
      status: response.status,
      submitted_revision: submitted ? 1 : null,
      hidden_questions: hidden,
      submitted_hidden_questions: submitted ? hidden : [],
      created_at: response.startedAt,
      updated_at: response.savedAt,
      first_submitted_at: submitted ? response.savedAt : null,
      submitted_at: submitted ? response.savedAt : null,
    });
    const json = JSON.stringify(answers);
    rows.revisions.push({ response_id: responseId, revision: 1, answers: json, saved_at: response.savedAt });
    for (const row of answerRows(definition, answers)) rows.answers.push({ response_id: responseId, ...row });
    if (submitted)
      rows.submissions.push({ response_id: responseId, revision: 1, survey_version_id: version.id, answers: json, submitted_at: response.savedAt });
  });
  result.answerRows += rows.answers.length;
  return rows;
}

/** A complete answer set, or for a response in progress the part answered so far (checked as a draft). */
function storedAnswers(version: SurveyVersion, answers: Answers, progress: number): Answers {
  if (progress >= 1) return answers;
  const definition = version.definition;
  const sections = Math.max(1, Math.floor(progress * definition.sections.length));
  const checked = validateAnswers(definition, answersOfFirstSections(definition, answers, sections), 'draft');
  if (checked.problems.length) throw new InvalidDemoAnswersError(`partial demo answers for ${definition.id} are invalid: ${JSON.stringify(checked.problems)}`);
  return checked.answers;
}

/**
 * The earlier phase's release a later phase's release is compared with: checked (an earlier phase
 * of the questionnaire's, with questions tied to it) and turned into the release's trend tables.
 */
import type { Kysely } from 'kysely';
import type { PublishedRelease, TrendSource } from '../../analysis/disclosure/release-model.ts';
import { releaseTrendTables, type ReleaseTrendTable, type TrendLink } from '../../analysis/disclosure/release-trends.ts';
import { trendPairs } from '../../survey-definitions/check-trends.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database } from '../db/schema.ts';
import { ok, refuse, type Outcome, type Refusal } from '../errors.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { listReleases } from './release.queries.ts';

/** The tied questions of two questionnaires that compare (`trendPairs`), as the release's trend tables name them. */
export function trendLinks(earlier: SurveyDefinition, later: SurveyDefinition): TrendLink[] {
  return trendPairs(earlier, later).map((pair) => ({
    trendKey: pair.trendKey,
    earlierQuestionId: pair.earlierQuestion.id,
    laterQuestionId: pair.laterQuestion.id,
    codeMap: pair.codeMap,
  }));
}

/**
 * The trend section of a release of `definition` compared with release `earlier`; refused
 * (`bad_request`) when that release is not of an earlier phase or shares no tied question.
 */
export async function releaseTrendSection(
  db: Kysely<Database>,
  definition: SurveyDefinition,
  later: Pick<PublishedRelease, 'breakdowns' | 'tables'>,
  earlier: PublishedRelease,
): Promise<Outcome<{ trendFrom: TrendSource; trends: ReleaseTrendTable[] }, Refusal<'bad_request' | 'not_found'>>> {
  const earlierVersion = await getCurrentSurveyVersion(db, earlier.surveyId);
  if (!earlierVersion) return refuse('not_found', `There is no questionnaire '${earlier.surveyId}'.`);
  const earlierDefinition = earlierVersion.definition;
  if (definition.phase === undefined || earlierDefinition.phase === undefined || earlierDefinition.phase >= definition.phase) {
    return refuse(
      'bad_request',
      `Release ${earlier.id} is of '${earlier.surveyId}' (phase ${earlierDefinition.phase ?? 'not set'}), not of a phase before '${definition.id}' (phase ${definition.phase ?? 'not set'}).`,
    );
  }
  const links = trendLinks(earlierDefinition, definition);
  const trends = releaseTrendTables(earlier, { ...earlier, breakdowns: later.breakdowns, tables: later.tables }, links);
  if (trends.length === 0) return refuse('bad_request', `No question of '${definition.id}' is tied (trend_key) to a question release ${earlier.id} publishes.`);
  return ok({
    trendFrom: { releaseId: earlier.id, surveyId: earlier.surveyId, phases: [earlierDefinition.phase, definition.phase], contentHash: earlier.contentHash },
    trends,
  });
}

/** The releases of questionnaires of an earlier phase, for the same respondents, that a new release may compare with. */
export async function earlierPhaseReleases(db: Kysely<Database>, definition: SurveyDefinition): Promise<{ id: number; label: string }[]> {
  if (definition.phase === undefined) return [];
  const earlier = (await listCurrentSurveyVersions(db)).filter(
    (s) => s.definition.phase !== undefined && s.definition.phase < definition.phase! && s.definition.audience.some((k) => definition.audience.includes(k)),
  );
  const options: { id: number; label: string }[] = [];
  for (const s of earlier) {
    for (const r of await listReleases(db, s.surveyId))
      options.push({ id: r.id, label: `${s.definition.phase}: release ${r.id}, “${r.name}” (${s.definition.title.en})${r.final ? ', final' : ''}` });
  }
  return options;
}

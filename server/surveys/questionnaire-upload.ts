/**
 * Publishing a questionnaire uploaded on the admin page: the same checks as the files of the
 * questionnaire folder get (against its `common.yaml`, and across the other published
 * questionnaires), a preview of what changes, then publication in one audited transaction.
 * Responses already started stay pinned to the version they began with.
 */
import type { Kysely } from 'kysely';
import { checkTrends } from '../../survey-definitions/check-trends.ts';
import {
  checkAcrossFiles,
  checkDefinitionText,
  formatProblem,
  loadCommon,
  loadDefinitions,
  type FileProblem,
  type LoadedDefinition,
} from '../../survey-definitions/load-definitions.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { ok, refuse, type Outcome, type Refusal } from '../errors.ts';
import { diffQuestions, type QuestionChanges } from './definition-changes.ts';
import {
  findSurveyVersionByHash,
  getCurrentSurveyVersion,
  listCurrentSurveyVersions,
  lockCurrentVersionId,
  publishSurveyVersion,
  type SurveyVersion,
} from './survey-versions.queries.ts';

export interface CheckedQuestionnaire {
  /** The text as checked (line breaks normalised to LF): what the publish form carries back. */
  text: string;
  loaded: LoadedDefinition;
  /** The survey's version now, undefined for a new questionnaire. */
  current: SurveyVersion | undefined;
  /** The snapshot already holding this content, if it was published before. */
  stored: { id: number; version: string; createdAt: Date } | undefined;
  changes: QuestionChanges;
}

export type QuestionnaireCheck = ({ ok: true } & CheckedQuestionnaire) | { ok: false; problems: FileProblem[] };

/**
 * Checks an uploaded questionnaire. Problems come as `FileProblem`s (`file: path: message` with
 * `formatProblem`): those of `common.yaml` first, if it is broken, since nothing can be checked then.
 *
 * @example
 *   const check = await checkUploadedQuestionnaire(db, { surveysDir: 'survey-definitions', fileName: 'gov.yaml', text });
 *   if (!check.ok) check.problems.map(formatProblem);
 */
export async function checkUploadedQuestionnaire(
  db: Kysely<Database>,
  input: { surveysDir: string; fileName: string; text: string },
): Promise<QuestionnaireCheck> {
  // A form field comes back with CRLF line breaks; YAML reads both alike, so nothing else changes.
  const text = input.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const common = await loadCommon(input.surveysDir);
  if (common.problems.length) return { ok: false, problems: common.problems };
  const checked = checkDefinitionText(text, input.fileName, common.common);
  if (!checked.loaded) return { ok: false, problems: checked.problems };
  const loaded = checked.loaded;
  // The other questionnaires as published: shared questions must still be asked alike.
  const others = (await listCurrentSurveyVersions(db))
    .filter((v) => v.surveyId !== loaded.definition.id)
    .map((v) => ({ file: `${v.surveyId} (published)`, definition: v.definition, contentHash: v.contentHash }));
  const across = checkAcrossFiles([...others, loaded]).filter((p) => p.file === input.fileName);
  across.push(...brokenTies(others, loaded));
  if (across.length) return { ok: false, problems: across };
  const current = await getCurrentSurveyVersion(db, loaded.definition.id);
  const stored = await findSurveyVersionByHash(db, loaded.definition.id, loaded.contentHash);
  return { ok: true, text, loaded, current, stored, changes: diffQuestions(current?.definition, loaded.definition) };
}

/**
 * The ties of later phases' questionnaires that an upload would break (an earlier phase's question
 * changed or dropped), reported on the uploaded file: those problems are the later files', but the
 * upload causes them. Problems those files had before are not the upload's.
 */
function brokenTies(others: LoadedDefinition[], uploaded: LoadedDefinition): FileProblem[] {
  const before = new Set(checkTrends(others).map(formatProblem));
  return checkTrends([...others, uploaded])
    .filter((p) => p.file !== uploaded.file && !before.has(formatProblem(p)))
    .map((p) => ({ file: uploaded.file, path: `${p.file} ${p.path}`, message: `this version breaks a tie of a later phase: ${p.message}` }));
}

/** A publication: the version's row, whether it was stored now, whether it became current. */
export interface PublishedVersion {
  versionId: number;
  created: boolean;
  becameCurrent: boolean;
}

/**
 * Makes a checked questionnaire its survey's current version and audits `questionnaire.publish`
 * with the content hash, in one transaction.
 *
 * @param basedOnVersionId the current version the preview was made against (null for a new
 *   questionnaire): if another version was published since, nothing is published and the answer
 *   is a `conflict` refusal.
 */
export async function publishCheckedQuestionnaire(
  db: Kysely<Database>,
  checked: CheckedQuestionnaire,
  options: { basedOnVersionId: number | null; actor: string },
): Promise<Outcome<PublishedVersion, Refusal<'conflict'>>> {
  const { definition, contentHash, file } = checked.loaded;
  return transactionOutcome(db.transaction(), async (trx): Promise<Outcome<PublishedVersion, Refusal<'conflict'>>> => {
    const previousVersionId = await lockCurrentVersionId(trx, definition.id);
    if (previousVersionId !== options.basedOnVersionId) {
      return refuse('conflict', 'Another version of this questionnaire was published after your preview; check the changes again before publishing.');
    }
    const result = await publishSurveyVersion(trx, definition, contentHash);
    await insertAuditEntry(trx, {
      actor: options.actor,
      action: 'questionnaire.publish',
      subject: `survey:${definition.id}`,
      details: {
        surveyId: definition.id,
        version: definition.version,
        contentHash,
        versionId: result.versionId,
        previousVersionId,
        created: result.created,
        file,
      },
    });
    return ok(result);
  });
}

/**
 * The file of the questionnaire folder that holds another version of this survey, if any. The
 * server publishes the folder's files when it starts, so that file would become current again.
 */
export async function staleFolderFile(surveysDir: string, surveyId: string, contentHash: string): Promise<string | undefined> {
  const { definitions } = await loadDefinitions(surveysDir);
  const inFolder = definitions.find((d) => d.definition.id === surveyId);
  return inFolder && inFolder.contentHash !== contentHash ? inFolder.file : undefined;
}

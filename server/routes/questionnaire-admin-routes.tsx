/** @jsxImportSource hono/jsx */
/**
 * Questionnaires in the browser (admins): the stored versions of each survey, uploading a new
 * version (its problems, or a preview of what it changes) and publishing it. The checked text
 * travels back in the publish form and is checked again there.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { uploadBodyLimit, uploadedText } from '../http/upload-limits.ts';
import { userView } from '../http/user-view.ts';
import { valid } from '../http/validate.ts';
import { QuestionnairePreviewPage } from '../pages/admin/questionnaire-preview-page.tsx';
import { QuestionnaireProblemsPage, QuestionnairesPage, UploadRefusedPage } from '../pages/admin/questionnaires-page.tsx';
import {
  checkUploadedQuestionnaire,
  publishCheckedQuestionnaire,
  staleFolderFile,
  type CheckedQuestionnaire,
  type QuestionnaireCheck,
} from '../surveys/questionnaire-upload.ts';
import { listCurrentSurveyVersions, listSurveyVersionUse } from '../surveys/survey-versions.queries.ts';

/** The uploaded file; anything else in its place reads as no file. */
const checkForm = z.object({ file: z.instanceof(File).optional().catch(undefined) });

/** The fields the preview's publish form carries back. */
const publishForm = z.object({
  text: z.custom<string>((value) => typeof value === 'string' && value !== '', 'The form did not carry the questionnaire; upload the file again.'),
  based_on: z
    .custom<string>(
      (value) => value === 'none' || (typeof value === 'string' && Number.isInteger(Number(value)) && Number(value) > 0),
      'The form did not say which version it was checked against.',
    )
    .transform((value) => (value === 'none' ? null : Number(value))),
  file_name: z.string().catch(''),
  content_hash: z.unknown().optional(),
});

function surveysDir(c: Context<AppEnv>): string {
  const dir = c.get('deps').surveysDir;
  if (!dir) throw new AppError('unavailable', 'The server was started without a questionnaire folder, so uploads cannot be checked.');
  return dir;
}

/** A file name fit to show and audit: its last path segment, at most 200 characters. */
function displayName(name: string): string {
  return (name.split(/[\\/]/).pop() || 'upload.yaml').slice(0, 200);
}

async function renderList(c: Context<AppEnv>, options: { notice?: string; warning?: string | undefined } = {}) {
  const { db } = c.get('deps');
  const [current, versions] = await Promise.all([listCurrentSurveyVersions(db), listSurveyVersionUse(db)]);
  const surveys = current.map((s) => ({ id: s.surveyId, title: s.definition.title.en, versions: versions.filter((v) => v.surveyId === s.surveyId) }));
  return renderPage(c, <QuestionnairesPage user={userView(c)!} list={{ surveys }} notice={options.notice} warning={options.warning} />);
}

function renderChecked(c: Context<AppEnv>, check: QuestionnaireCheck, fileName: string, notice?: string) {
  if (!check.ok) return renderPage(c, <QuestionnaireProblemsPage user={userView(c)!} fileName={fileName} problems={check.problems} />, 422);
  return renderPage(c, <QuestionnairePreviewPage user={userView(c)!} checked={check} notice={notice} />, notice ? 409 : 200);
}

function uploadError(c: Context<AppEnv>, message: string) {
  return renderPage(c, <UploadRefusedPage user={userView(c)!} message={message} />, 422);
}

function publishedNotice(checked: CheckedQuestionnaire, created: boolean): string {
  const { id, version } = checked.loaded.definition;
  return `${id} version ${version} is published${created ? '' : ' again'} (content hash ${checked.loaded.contentHash.slice(0, 12)}). New respondents get it; responses already started keep their version.`;
}

function staleFileWarning(stale: string | undefined, surveyId: string): string | undefined {
  if (!stale) return undefined;
  return `${stale} in the questionnaire folder holds another version of ${surveyId}. The server publishes that folder when it starts, which would make the file's version current again: replace the file with this version.`;
}

export function questionnaireAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admins = requireRole('admin');

  app.get('/questionnaires', admins, (c) => renderList(c));

  app.post('/questionnaires/check', admins, uploadBodyLimit('/admin/questionnaires/check'), csrfProtection, valid('form', checkForm), async (c) => {
    const { file } = c.req.valid('form');
    if (!file || file.size === 0) return uploadError(c, 'Choose a questionnaire file (YAML) to upload.');
    const fileName = displayName(file.name);
    const text = await uploadedText(file);
    if (text === undefined) return uploadError(c, `${fileName} is not UTF-8 text.`);
    const check = await checkUploadedQuestionnaire(c.get('deps').db, { surveysDir: surveysDir(c), fileName, text });
    return renderChecked(c, check, fileName);
  });

  app.post(
    '/questionnaires/publish',
    admins,
    uploadBodyLimit('/admin/questionnaires/publish'),
    csrfProtection,
    valid('form', publishForm, { code: 'bad_request' }),
    async (c) => {
      const form = c.req.valid('form');
      const fileName = displayName(form.file_name);
      const { db } = c.get('deps');
      const dir = surveysDir(c);
      // Checked again: the shared lists may have changed, and a form field is only a carrier.
      const check = await checkUploadedQuestionnaire(db, { surveysDir: dir, fileName, text: form.text });
      if (!check.ok) return renderChecked(c, check, fileName);
      if (check.loaded.contentHash !== form.content_hash) {
        return renderChecked(
          c,
          check,
          fileName,
          'The questionnaire checks differently from your preview (the shared scales or lists may have changed). Review it again before publishing.',
        );
      }
      if (check.current?.contentHash === check.loaded.contentHash)
        return renderList(c, { notice: 'This is the current version already; nothing was published.' });
      const published = await publishCheckedQuestionnaire(db, check, { basedOnVersionId: form.based_on, actor: c.get('user')!.email });
      if (!published.ok)
        return renderChecked(c, await checkUploadedQuestionnaire(db, { surveysDir: dir, fileName, text: form.text }), fileName, published.refusal.message);
      const stale = await staleFolderFile(dir, check.loaded.definition.id, check.loaded.contentHash);
      return renderList(c, { notice: publishedNotice(check, published.value.created), warning: staleFileWarning(stale, check.loaded.definition.id) });
    },
  );

  return app;
}

/** @jsxImportSource hono/jsx */
/**
 * Questionnaires in the browser (admins): the stored versions of each survey, uploading a new
 * version (its problems, or a preview of what it changes) and publishing it. The checked text
 * travels back in the publish form and is checked again there.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { uploadBodyLimit, uploadedText } from '../http/upload-limits.ts';
import { AdminLayout, FormError } from '../pages/admin/admin-layout.tsx';
import { PreviewBody, ProblemsBody, QuestionnaireListBody, UploadForm } from '../pages/admin/questionnaires-page.tsx';
import { checkUploadedQuestionnaire, publishCheckedQuestionnaire, staleFolderFile, type CheckedQuestionnaire } from '../surveys/questionnaire-upload.ts';
import { listCurrentSurveyVersions, listSurveyVersionUse } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';

const TITLE = 'Questionnaires';

function surveysDir(c: Context<AppEnv>): string {
  const dir = c.get('deps').surveysDir;
  if (!dir) throw new AppError('unavailable', 'The server was started without a questionnaire folder, so uploads cannot be checked.');
  return dir;
}

/** A file name fit to show and audit: its last path segment, at most 200 characters. */
function displayName(name: string): string {
  return (name.split(/[\\/]/).pop() || 'upload.yaml').slice(0, 200);
}

async function renderList(c: Context<AppEnv>, options: { notice?: string; warning?: string } = {}) {
  const { db } = c.get('deps');
  const [current, versions] = await Promise.all([listCurrentSurveyVersions(db), listSurveyVersionUse(db)]);
  const surveys = current.map((s) => ({ id: s.surveyId, title: s.definition.title.en, versions: versions.filter((v) => v.surveyId === s.surveyId) }));
  const me = userView(c)!;
  return renderPage(
    c,
    <AdminLayout title={TITLE} user={me} current="/admin/questionnaires">
      {options.notice ? (
        <p class="notice success" role="status">
          {options.notice}
        </p>
      ) : null}
      {options.warning ? (
        <p class="notice preview" role="alert" id="folder-warning">
          {options.warning}
        </p>
      ) : null}
      <QuestionnaireListBody list={{ surveys }} csrf={me.csrfToken} />
    </AdminLayout>,
  );
}

function renderChecked(c: Context<AppEnv>, check: Awaited<ReturnType<typeof checkUploadedQuestionnaire>>, fileName: string, notice?: string) {
  const me = userView(c)!;
  if (!check.ok) {
    return renderPage(
      c,
      <AdminLayout title={TITLE} user={me} current="/admin/questionnaires">
        <ProblemsBody fileName={fileName} problems={check.problems} csrf={me.csrfToken} />
      </AdminLayout>,
      422,
    );
  }
  return renderPage(
    c,
    <AdminLayout title={`Preview of ${check.loaded.definition.id} version ${check.loaded.definition.version}`} user={me} current="/admin/questionnaires">
      <PreviewBody checked={check} csrf={me.csrfToken} {...(notice ? { notice } : {})} />
    </AdminLayout>,
    notice ? 409 : 200,
  );
}

function uploadError(c: Context<AppEnv>, message: string) {
  const me = userView(c)!;
  return renderPage(
    c,
    <AdminLayout title={TITLE} user={me} current="/admin/questionnaires">
      <FormError message={message} />
      <UploadForm csrf={me.csrfToken} />
    </AdminLayout>,
    422,
  );
}

function publishedNotice(checked: CheckedQuestionnaire, created: boolean): string {
  const { id, version } = checked.loaded.definition;
  return `${id} version ${version} is published${created ? '' : ' again'} (content hash ${checked.loaded.contentHash.slice(0, 12)}). New respondents get it; responses already started keep their version.`;
}

export function questionnaireAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/questionnaires', requireRole('admin'), (c) => renderList(c));

  app.post('/questionnaires/check', requireRole('admin'), uploadBodyLimit('/admin/questionnaires/check'), async (c) => {
    const body = await c.req.parseBody();
    assertCsrf(c.get('user')!.csrfToken, body['_csrf']);
    const file = body['file'];
    if (!(file instanceof File) || file.size === 0) return uploadError(c, 'Choose a questionnaire file (YAML) to upload.');
    const fileName = displayName(file.name);
    const text = await uploadedText(file);
    if (text === undefined) return uploadError(c, `${fileName} is not UTF-8 text.`);
    const check = await checkUploadedQuestionnaire(c.get('deps').db, { surveysDir: surveysDir(c), fileName, text });
    return renderChecked(c, check, fileName);
  });

  app.post('/questionnaires/publish', requireRole('admin'), uploadBodyLimit('/admin/questionnaires/publish'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const text = body['text'];
    const fileName = displayName(typeof body['file_name'] === 'string' ? body['file_name'] : '');
    if (typeof text !== 'string' || text === '') throw new AppError('bad_request', 'The form did not carry the questionnaire; upload the file again.');
    const basedOn = body['based_on'] === 'none' ? null : Number(body['based_on']);
    if (basedOn !== null && !(Number.isInteger(basedOn) && basedOn > 0)) throw new AppError('bad_request', 'The form did not say which version it was checked against.');

    const { db } = c.get('deps');
    const dir = surveysDir(c);
    // Checked again: the shared lists may have changed, and a form field is only a carrier.
    const check = await checkUploadedQuestionnaire(db, { surveysDir: dir, fileName, text });
    if (!check.ok) return renderChecked(c, check, fileName);
    if (check.loaded.contentHash !== body['content_hash']) {
      return renderChecked(c, check, fileName, 'The questionnaire checks differently from your preview (the shared scales or lists may have changed). Review it again before publishing.');
    }
    if (check.current?.contentHash === check.loaded.contentHash) return renderList(c, { notice: 'This is the current version already; nothing was published.' });
    try {
      const result = await publishCheckedQuestionnaire(db, check, { basedOnVersionId: basedOn, actor: user.email });
      const stale = await staleFolderFile(dir, check.loaded.definition.id, check.loaded.contentHash);
      return renderList(c, {
        notice: publishedNotice(check, result.created),
        ...(stale
          ? {
              warning: `${stale} in the questionnaire folder holds another version of ${check.loaded.definition.id}. The server publishes that folder when it starts, which would make the file's version current again: replace the file with this version.`,
            }
          : {}),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') {
        return renderChecked(c, await checkUploadedQuestionnaire(db, { surveysDir: dir, fileName, text }), fileName, error.message);
      }
      throw error;
    }
  });

  return app;
}

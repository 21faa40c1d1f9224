/** @jsxImportSource hono/jsx */
/**
 * The free-text page: analysts read and search the answers to a text question and code them with
 * tags; tag counts appear as a chart with a table beside it.
 */
import { Hono, type Context } from 'hono';
import type { ChartSeries } from '../../analysis/chart-series.ts';
import { allQuestions } from '../../survey-definitions/types.ts';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { addTag, countTags, listTextAnswers, removeTag, type TextAnswer } from '../free-text/free-text.queries.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { AdminLayout, type AdminUserView } from '../pages/admin/admin-layout.tsx';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from './admin-account-routes.tsx';

const PAGE_SIZE = 50;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u;

interface FreeTextModel {
  user: AdminUserView;
  surveys: { id: string; title: string }[];
  surveyId: string;
  questions: { id: string; text: string }[];
  questionId: string | undefined;
  search: string;
  tag: string;
  total: number;
  page: number;
  answers: TextAnswer[];
  tagCounts: { tag: string; count: number }[];
}

function FreeTextPage(m: FreeTextModel) {
  const series: ChartSeries = { type: 'bars', unit: 'count', labels: m.tagCounts.map((t) => t.tag), datasets: [{ label: 'Answers', data: m.tagCounts.map((t) => t.count) }] };
  const here = `/admin/free-text?survey=${m.surveyId}&question=${m.questionId ?? ''}&q=${encodeURIComponent(m.search)}&tag=${encodeURIComponent(m.tag)}`;
  return (
    <AdminLayout title="Free-text answers" user={m.user} current="/admin/free-text" scripts={['/assets/dashboard.js']}>
      <form method="get" action="/admin/free-text" class="filters">
        <div class="form-row">
          <label for="survey">Questionnaire</label>
          <select id="survey" name="survey">
            {m.surveys.map((s) => (
              <option value={s.id} selected={s.id === m.surveyId}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="question">Question</label>
          <select id="question" name="question">
            {m.questions.map((q) => (
              <option value={q.id} selected={q.id === m.questionId}>
                {q.text}
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="q">Search the answers</label>
          <input type="search" id="q" name="q" value={m.search} />
        </div>
        <div class="form-row">
          <label for="tag-filter">Only answers tagged</label>
          <input type="text" id="tag-filter" name="tag" value={m.tag} />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Show
          </button>
        </p>
      </form>
      {m.questionId ? (
        <>
          <h2>Tags</h2>
          {m.tagCounts.length ? (
            <div class="result-body">
              <figure class="chart">
                <canvas id="chart-tags" data-series={JSON.stringify(series)} role="img" aria-label="Chart of tag counts; the table gives the same figures."></canvas>
                <figcaption class="downloads">
                  <button type="button" class="secondary" data-png-for="chart-tags" hidden>
                    Download PNG
                  </button>
                </figcaption>
              </figure>
              <table class="data">
                <caption>Answers per tag</caption>
                <thead>
                  <tr>
                    <th scope="col">Tag</th>
                    <th scope="col" class="num">
                      Answers
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {m.tagCounts.map((t) => (
                    <tr>
                      <th scope="row">
                        <a href={`/admin/free-text?survey=${m.surveyId}&question=${m.questionId}&tag=${encodeURIComponent(t.tag)}`}>{t.tag}</a>
                      </th>
                      <td class="num">{t.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="hint">No answer is tagged yet.</p>
          )}
          <h2>
            {m.total} answer{m.total === 1 ? '' : 's'}
          </h2>
          <ol class="text-answers" start={m.page * PAGE_SIZE + 1}>
            {m.answers.map((a) => (
              <li>
                <p>{a.text}</p>
                <p class="hint">
                  {a.kind.replace(/_/g, ' ')}
                  {a.region ? `, ${a.region}` : ''}
                </p>
                <ul class="tags">
                  {a.tags.map((t) => (
                    <li>
                      <form method="post" action="/admin/free-text/tags" class="inline-form">
                        <input type="hidden" name="_csrf" value={m.user.csrfToken} />
                        <input type="hidden" name="response" value={String(a.responseId)} />
                        <input type="hidden" name="question" value={m.questionId} />
                        <input type="hidden" name="tag" value={t} />
                        <input type="hidden" name="back" value={here} />
                        <span class="tag">{t}</span>
                        <button type="submit" name="action" value="remove" class="link" aria-label={`Remove tag ${t}`}>
                          ×
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
                <form method="post" action="/admin/free-text/tags" class="inline-form">
                  <input type="hidden" name="_csrf" value={m.user.csrfToken} />
                  <input type="hidden" name="response" value={String(a.responseId)} />
                  <input type="hidden" name="question" value={m.questionId} />
                  <input type="hidden" name="back" value={here} />
                  <label for={`tag-${a.responseId}`} class="visually-hidden">
                    New tag for answer {a.responseId}
                  </label>
                  <input type="text" id={`tag-${a.responseId}`} name="tag" maxlength={40} size={16} required />
                  <button type="submit" name="action" value="add" class="secondary">
                    Add tag
                  </button>
                </form>
              </li>
            ))}
          </ol>
          <p class="actions">
            {m.page > 0 ? <a href={`${here}&page=${m.page - 1}`}>Previous {PAGE_SIZE}</a> : null}{' '}
            {(m.page + 1) * PAGE_SIZE < m.total ? <a href={`${here}&page=${m.page + 1}`}>Next {PAGE_SIZE}</a> : null}
          </p>
        </>
      ) : (
        <p class="hint">This questionnaire has no free-text question.</p>
      )}
    </AdminLayout>
  );
}

async function textQuestions(c: Context<AppEnv>, surveyId: string) {
  const version = await getCurrentSurveyVersion(c.get('deps').db, surveyId);
  if (!version) throw new AppError('not_found', 'There is no such questionnaire.');
  return allQuestions(version.definition)
    .filter((q) => q.type === 'short_text' || q.type === 'long_text')
    .map((q) => ({ id: q.id, text: q.text.en }));
}

export function freeTextRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const analysts = requireRole('admin', 'analyst');

  app.get('/free-text', analysts, async (c) => {
    const { db } = c.get('deps');
    const surveys = (await listCurrentSurveyVersions(db)).map((s) => ({ id: s.surveyId, title: s.definition.title.en }));
    const surveyId = c.req.query('survey') ?? surveys[0]?.id;
    if (!surveyId) throw new AppError('not_found', 'No questionnaire is published yet.');
    const questions = await textQuestions(c, surveyId);
    const questionId = questions.find((q) => q.id === c.req.query('question'))?.id ?? questions[0]?.id;
    const search = (c.req.query('q') ?? '').slice(0, 200);
    const tag = (c.req.query('tag') ?? '').slice(0, 40);
    const page = Math.max(0, Number.parseInt(c.req.query('page') ?? '0', 10) || 0);
    const listed = questionId
      ? await listTextAnswers(db, surveyId, questionId, { ...(search ? { search } : {}), ...(tag ? { tag } : {}), limit: PAGE_SIZE, offset: page * PAGE_SIZE })
      : { total: 0, answers: [] };
    const tagCounts = questionId ? await countTags(db, surveyId, questionId) : [];
    return renderPage(
      c,
      <FreeTextPage user={userView(c)!} surveys={surveys} surveyId={surveyId} questions={questions} questionId={questionId} search={search} tag={tag} total={listed.total} page={page} answers={listed.answers} tagCounts={tagCounts} />,
    );
  });

  app.post('/free-text/tags', analysts, async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const responseId = Number(body['response']);
    const questionId = String(body['question'] ?? '');
    const tag = String(body['tag'] ?? '').trim().toLowerCase();
    if (!Number.isInteger(responseId) || !/^[a-z][a-z0-9_]*$/.test(questionId) || !TAG.test(tag)) {
      throw new AppError('validation', 'A tag has 1 to 40 letters, digits, spaces, hyphens or underscores.');
    }
    const { db } = c.get('deps');
    if (body['action'] === 'remove') await removeTag(db, { responseId, questionId, tag });
    else await addTag(db, { responseId, questionId, tag, userId: user.userId });
    const back = String(body['back'] ?? '');
    return c.redirect(back.startsWith('/admin/free-text?') ? back : '/admin/free-text', 303);
  });

  return app;
}

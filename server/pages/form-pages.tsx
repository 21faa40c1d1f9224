/** @jsxImportSource hono/jsx */
/**
 * The respondent's pages: overview, one page per section, review, receipt.
 * Each receives a ready view-model; none touches the database.
 */
import type { Answers } from '../../survey-definitions/answers.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Section, SurveyDefinition } from '../../survey-definitions/types.ts';
import { Layout } from './layout.tsx';
import { QuestionField, type QuestionView } from './question-fields.tsx';
import { colon, translator, type Translate } from './ui-text.ts';

export interface SectionSummary {
  title: string;
  answered: number;
  total: number;
}

export interface ChangeView {
  question: string;
  before: string[];
  after: string[];
}

export interface FormContext {
  language: Language;
  definition: SurveyDefinition;
  /** Base of the form's URLs: `/form` for a respondent, `/preview/<id>` for a preview. */
  base: string;
  preview: boolean;
  respondentName?: string;
  csrfToken?: string;
  readOnly: boolean;
  /** One line about dates: "Answers accepted until …", "closed on …". */
  windowNote: string;
}

export interface SectionPageModel extends FormContext {
  index: number;
  sections: SectionSummary[];
  section: Section;
  questions: QuestionView[];
  answers: Answers;
  revision: number;
  errorSummary: { anchor: string; label: string; message: string }[];
  notice?: 'saved' | 'new_questions';
  conflict?: { changes: ChangeView[] };
  /** Saved answers of other pages that this page's skip logic reads (for the live script). */
  conditionAnswers?: Answers;
}

function Progress({ index, sections, tr }: { index: number; sections: SectionSummary[]; tr: Translate }) {
  return (
    <div class="progress">
      <p>
        <label for="progress-bar">{tr('sectionOf', { n: index + 1, total: sections.length })}</label>{' '}
        <progress id="progress-bar" max={sections.length} value={index + 1}>
          {index + 1}/{sections.length}
        </progress>
      </p>
    </div>
  );
}

function SectionNav({ base, sections, current, tr }: { base: string; sections: SectionSummary[]; current?: number; tr: Translate }) {
  return (
    <nav aria-label={tr('sections')} class="section-nav">
      <ol>
        {sections.map((s, i) => (
          <li>
            <a href={`${base}/section/${i + 1}`} aria-current={i === current ? 'page' : undefined}>
              {s.title}
            </a>{' '}
            <span class="count">{tr('answeredCount', { answered: s.answered, total: s.total })}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function SectionPage(m: SectionPageModel) {
  const tr = translator(m.language);
  const title = `${m.section.title[m.language]} — ${m.definition.title[m.language]}`;
  const last = m.index === m.sections.length - 1;
  return (
    <Layout title={title} language={m.language} path={`${m.base}/section/${m.index + 1}`} formScript={!m.readOnly}>
      {m.preview ? <p class="notice preview">{tr('preview')}</p> : null}
      <p class="survey-title">{m.definition.title[m.language]}</p>
      <Progress index={m.index} sections={m.sections} tr={tr} />
      <h1>{m.section.title[m.language]}</h1>
      {m.section.intro ? <p class="intro">{m.section.intro[m.language]}</p> : null}
      <p class="window">{m.windowNote}</p>
      {m.conflict ? (
        <section class="notice conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{tr('conflictTitle')}</h2>
          <p>{tr('conflictIntro')}</p>
          <ul>
            {m.conflict.changes.map((c) => (
              <li>
                <strong>{c.question}</strong>: {tr('conflictBefore')} «{c.before.join('; ') || tr('noAnswer')}», {tr('conflictNow')} «
                {c.after.join('; ') || tr('noAnswer')}»
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {m.errorSummary.length ? (
        <section class="notice error-summary" role="alert" aria-labelledby="error-title" tabindex={-1} id="error-summary">
          <h2 id="error-title">{tr('errorsTitle')}</h2>
          <p>{tr('errorsIntro')}</p>
          <ul>
            {m.errorSummary.map((e) => (
              <li>
                <a href={`#${e.anchor}`}>{e.label}</a>: {e.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {m.notice === 'new_questions' ? (
        <p class="notice info" role="status">
          {tr('newQuestions')}
        </p>
      ) : null}
      {m.notice === 'saved' ? (
        <p class="notice info" role="status">
          {tr('saved')}
        </p>
      ) : null}
      <form
        method="post"
        action={`${m.base}/section/${m.index + 1}`}
        class="questionnaire"
        data-autosave={m.preview || m.readOnly ? undefined : `${m.base}/section/${m.index + 1}/autosave`}
        data-answers={JSON.stringify(m.conditionAnswers ?? {})}
        novalidate
      >
        {m.csrfToken ? <input type="hidden" name="_csrf" value={m.csrfToken} /> : null}
        <input type="hidden" name="_revision" value={String(m.revision)} />
        {m.questions.map((view) => (
          <QuestionField view={view} answers={m.answers} language={m.language} tr={tr} readOnly={m.readOnly} />
        ))}
        <p
          class="autosave-status"
          role="status"
          aria-live="polite"
          data-saved-label={tr('savedAt', { time: '' }).trim()}
          data-failed-label={tr('savingFailed')}
        ></p>
        <div class="actions">
          {m.index > 0 ? (
            <button type="submit" name="_action" value="previous" class="secondary" formnovalidate>
              {m.readOnly || m.preview ? '←' : tr('previous')}
            </button>
          ) : null}
          <button type="submit" name="_action" value="next" class="primary">
            {last ? tr('review') : m.readOnly || m.preview ? tr('continue') : tr('next')}
          </button>
          {m.readOnly || m.preview ? null : (
            <button type="submit" name="_action" value="later" class="secondary">
              {tr('saveLater')}
            </button>
          )}
        </div>
      </form>
      <SectionNav base={m.base} sections={m.sections} current={m.index} tr={tr} />
    </Layout>
  );
}

export interface OverviewModel extends FormContext {
  sections: SectionSummary[];
  statusLine: string;
  unsubmittedChanges: boolean;
  submitted: boolean;
  /** Index (0-based) of the first section with an unanswered question. */
  resumeAt: number;
}

export function OverviewPage(m: OverviewModel) {
  const tr = translator(m.language);
  const d = m.definition;
  return (
    <Layout title={d.title[m.language]} language={m.language} path={m.base}>
      {m.preview ? <p class="notice preview">{tr('preview')}</p> : null}
      <h1>{d.title[m.language]}</h1>
      {m.respondentName ? (
        <p>
          {tr('answeringFor')}
          {colon(m.language)}
          <strong>{m.respondentName}</strong>
        </p>
      ) : null}
      {d.description ? <p class="intro">{d.description[m.language]}</p> : null}
      <p class="status">{m.statusLine}</p>
      <p class="window">{m.windowNote}</p>
      {m.unsubmittedChanges ? <p class="notice info">{tr('unsubmittedChanges')}</p> : null}
      <p class="actions">
        <a class="button primary" href={`${m.base}/section/${m.resumeAt + 1}`}>
          {m.sections.some((s) => s.answered > 0) ? tr('continue') : tr('start')}
        </a>{' '}
        {m.submitted ? (
          <a class="button secondary" href={`${m.base}/receipt`}>
            {tr('receiptTitle')}
          </a>
        ) : null}
      </p>
      {m.preview ? null : <p class="hint">{tr('sharedLink')}</p>}
      <SectionNav base={m.base} sections={m.sections} tr={tr} />
      <details class="privacy">
        <summary>{tr('privacy')}</summary>
        <p>{d.privacy_notice[m.language]}</p>
      </details>
      <ContactLine email={d.contact_email} tr={tr} />
    </Layout>
  );
}

export interface AnsweredQuestion {
  id: string;
  number: number;
  text: string;
  lines: string[];
  hidden: boolean;
}

export interface ReviewModel extends FormContext {
  sections: { title: string; questions: AnsweredQuestion[] }[];
  missing: { anchor: string; label: string; message: string }[];
  revision: number;
  submittedBefore: boolean;
  /** Answers saved since the latest submission: the Assessment Team does not have them yet. */
  unsubmittedChanges: boolean;
}

function AnswerList({ questions, tr }: { questions: AnsweredQuestion[]; tr: Translate }) {
  return (
    <dl class="answers">
      {questions.map((q) => (
        <>
          <dt id={`review-${q.id}`}>
            {q.number}. {q.text}
          </dt>
          <dd class={q.lines.length ? undefined : 'empty'}>
            {q.hidden ? (
              tr('hiddenBySkip')
            ) : q.lines.length ? (
              q.lines.length === 1 ? (
                q.lines[0]
              ) : (
                <ul>
                  {q.lines.map((l) => (
                    <li>{l}</li>
                  ))}
                </ul>
              )
            ) : (
              tr('noAnswer')
            )}
          </dd>
        </>
      ))}
    </dl>
  );
}

export function ReviewPage(m: ReviewModel) {
  const tr = translator(m.language);
  return (
    <Layout title={`${tr('review')} — ${m.definition.title[m.language]}`} language={m.language} path={`${m.base}/review`}>
      <h1>{tr('review')}</h1>
      <p>{tr('reviewIntro')}</p>
      <p class="window">{m.windowNote}</p>
      {m.unsubmittedChanges ? <p class="notice info">{tr('unsubmittedChanges')}</p> : null}
      {m.missing.length ? (
        <section class="notice error-summary" role="alert" aria-labelledby="missing-title">
          <h2 id="missing-title">{tr('missingRequired')}</h2>
          <ul>
            {m.missing.map((e) => (
              <li>
                <a href={e.anchor}>{e.label}</a>: {e.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {m.sections.map((s, i) => (
        <section class="review-section">
          <h2>
            {s.title}{' '}
            {m.readOnly ? null : (
              <a href={`${m.base}/section/${i + 1}`} class="edit">
                {tr('edit')}
                <span class="visually-hidden">: {s.title}</span>
              </a>
            )}
          </h2>
          <AnswerList questions={s.questions} tr={tr} />
        </section>
      ))}
      {m.readOnly || m.preview ? null : (
        <form method="post" action={`${m.base}/submit`} class="submit-form">
          {m.csrfToken ? <input type="hidden" name="_csrf" value={m.csrfToken} /> : null}
          <input type="hidden" name="_revision" value={String(m.revision)} />
          <p class="hint">{tr('submitNote')}</p>
          <button type="submit" class="primary">
            {m.submittedBefore ? tr('resubmit') : tr('submit')}
          </button>
        </form>
      )}
    </Layout>
  );
}

export interface ReceiptModel extends FormContext {
  submittedAt: string;
  reference: string;
  version: string;
  sections: { title: string; questions: AnsweredQuestion[] }[];
  canAmend: boolean;
  unsubmittedChanges: boolean;
}

export function ReceiptPage(m: ReceiptModel) {
  const tr = translator(m.language);
  return (
    <Layout title={`${tr('receiptTitle')} — ${m.definition.title[m.language]}`} language={m.language} path={`${m.base}/receipt`}>
      <h1>{tr('receiptTitle')}</h1>
      <p class="notice success" role="status">
        {tr('receiptIntro', { time: m.submittedAt })}
      </p>
      {m.unsubmittedChanges ? <p class="notice info">{tr('unsubmittedChanges')}</p> : null}
      <dl class="receipt-meta">
        <dt>{tr('answeringFor')}</dt>
        <dd>{m.respondentName}</dd>
        <dt>{tr('receiptReference')}</dt>
        <dd>{m.reference}</dd>
        <dt>{tr('questionnaireVersion')}</dt>
        <dd>{m.version}</dd>
      </dl>
      <p class="actions no-print">
        <a class="button secondary" href={`${m.base}/receipt?print=1`} data-print="true">
          {tr('print')}
        </a>{' '}
        {m.canAmend ? (
          <a class="button secondary" href={`${m.base}/section/1`}>
            {tr('amend')}
          </a>
        ) : null}
      </p>
      {m.sections.map((s) => (
        <section class="review-section">
          <h2>{s.title}</h2>
          <AnswerList questions={s.questions} tr={tr} />
        </section>
      ))}
      <ContactLine email={m.definition.contact_email} tr={tr} />
    </Layout>
  );
}

/** "Questions about this questionnaire? Write to …", when the questionnaire gives an address. */
export function ContactLine({ email, tr }: { email: string | undefined; tr: ReturnType<typeof translator> }) {
  if (!email) return null;
  return (
    <p class="contact">
      {tr('contactLine')} <a href={`mailto:${email}`}>{email}</a>
    </p>
  );
}

export function MessagePage({
  language,
  title,
  message,
  path,
  children,
}: {
  language: Language;
  title: string;
  message: string;
  path?: string;
  children?: unknown;
}) {
  return (
    <Layout title={title} language={language} path={path}>
      <h1>{title}</h1>
      <p>{message}</p>
      {children as never}
    </Layout>
  );
}

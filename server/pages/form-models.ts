/**
 * Builds the view-models of the respondent's pages from a definition, answers and problems.
 * Pure: the routes fetch, these functions arrange.
 */
import { answerProblemMessage } from '../../survey-definitions/answer-messages.ts';
import { questionOfKey, specifyKey, type Answers } from '../../survey-definitions/answers.ts';
import { expressionReferences, parseExpression } from '../../survey-definitions/expression.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import { validateAnswers, type AnswerProblem } from '../../survey-definitions/validate-answers.ts';
import { questionNumbers } from '../../survey-definitions/question-numbers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import type { AnswerChange } from '../responses/answer-changes.ts';
import type { SurveyWindow } from '../responses/survey-window.ts';
import { formatAnswer } from './format-answer.ts';
import type { AnsweredQuestion, ChangeView, SectionSummary } from './form-pages.tsx';
import type { QuestionView } from './question-fields.tsx';
import { t } from './ui-text.ts';

// One numbering for the form, the dashboard, the report, the comparisons and the codebook.
export { questionNumbers };

/** Per section: how many of the questions shown are answered. */
export function sectionSummaries(definition: SurveyDefinition, answers: Answers, language: Language): SectionSummary[] {
  const hidden = hiddenQuestions(definition, answers);
  return definition.sections.map((s) => {
    const shown = s.questions.filter((q) => !hidden.has(q.id));
    return { title: s.title[language], answered: shown.filter((q) => answers[q.id] !== undefined).length, total: shown.length };
  });
}

/** The first section with an unanswered question that is shown, else the first. */
export function resumeSection(summaries: SectionSummary[]): number {
  const index = summaries.findIndex((s) => s.answered < s.total);
  return Math.max(index, 0);
}

export function windowNote(definition: Pick<SurveyDefinition, 'opens' | 'closes'>, window: SurveyWindow, language: Language): string {
  if (window === 'closed') return t(language, 'closed', { date: definition.closes });
  if (window === 'not_yet_open') return t(language, 'notYetOpen', { date: definition.opens });
  return t(language, 'closesOn', { date: definition.closes });
}

/** The question views of one section, with errors placed next to their fields. */
export function sectionQuestionViews(
  definition: SurveyDefinition,
  sectionIndex: number,
  answers: Answers,
  problems: AnswerProblem[],
  language: Language,
): QuestionView[] {
  const hidden = hiddenQuestions(definition, answers);
  const numbers = questionNumbers(definition);
  const section = definition.sections[sectionIndex]!;
  return section.questions.map((question) => ({
    question,
    number: numbers.get(question.id) ?? 0,
    hidden: hidden.has(question.id),
    errors: problems.filter((p) => questionOfKey(p.question) === question.id).map((p) => ({ key: p.question, message: answerProblemMessage(p, language) })),
    numberReadings: numberReadingsOf(problems, question.id),
  }));
}

/** The readings a number field asks the respondent to choose from, if its text is ambiguous. */
function numberReadingsOf(problems: AnswerProblem[], questionId: string): QuestionView['numberReadings'] {
  const problem = problems.find((p) => p.question === questionId && p.code === 'ambiguous_number');
  if (!problem?.params) return undefined;
  const values = String(problem.params.readings ?? '')
    .split(' ')
    .filter(Boolean)
    .map(Number);
  return { text: String(problem.params.text ?? ''), values };
}

/**
 * The error summary at the top of a page: a link to each field and its message. `anchor` is the
 * field's id (the page adds the `#`), prefixed with `hrefPrefix` when given.
 */
export function errorSummary(
  definition: SurveyDefinition,
  problems: AnswerProblem[],
  language: Language,
  hrefPrefix = '',
): { anchor: string; label: string; message: string }[] {
  const questions = new Map(allQuestions(definition).map((q) => [q.id, q]));
  const numbers = questionNumbers(definition);
  return problems.map((p) => {
    const q = questions.get(questionOfKey(p.question));
    return {
      anchor: `${hrefPrefix}${q ? firstFieldId(q) : 'main'}`,
      label: q ? `${numbers.get(q.id)}. ${q.text[language]}` : p.question,
      message: answerProblemMessage(p, language),
    };
  });
}

/** The id of the first control of a question, for "skip to the error" links. */
function firstFieldId(q: Question): string {
  switch (q.type) {
    case 'single_choice':
    case 'multi_choice':
    case 'ranking':
      return `${q.id}-${q.options[0]?.code ?? ''}`;
    case 'scale':
      return `${q.id}-${q.scale.points[0]?.code ?? ''}`;
    case 'yes_no':
      return `${q.id}-yes`;
    case 'matrix':
      return `q-${q.id}`;
    default:
      return q.id;
  }
}

/** Every question with its answer in words, per section (review page and receipt). */
export function answeredSections(definition: SurveyDefinition, answers: Answers, language: Language): { title: string; questions: AnsweredQuestion[] }[] {
  const hidden = hiddenQuestions(definition, answers);
  const numbers = questionNumbers(definition);
  return definition.sections.map((s) => ({
    title: s.title[language],
    questions: s.questions.map((q) => ({
      id: q.id,
      number: numbers.get(q.id) ?? 0,
      text: q.text[language],
      lines: formatAnswer(q, answers[q.id], answers[specifyKey(q.id)], language),
      hidden: hidden.has(q.id),
    })),
  }));
}

/** What is still missing before submission, with links to the section of each question. */
export function missingForSubmission(definition: SurveyDefinition, answers: Answers, language: Language, base: string) {
  const { problems } = validateAnswers(definition, answers, 'submit');
  const sectionOf = new Map(definition.sections.flatMap((s, i) => s.questions.map((q) => [q.id, i + 1] as const)));
  return errorSummary(definition, problems, language, '').map((e, i) => {
    const key = questionOfKey(problems[i]!.question);
    return { ...e, anchor: `${base}/section/${sectionOf.get(key) ?? 1}#${e.anchor}` };
  });
}

/** A colleague's changes in words, for the conflict notice. */
export function changeViews(definition: SurveyDefinition, changes: AnswerChange[], language: Language): ChangeView[] {
  const questions = new Map(allQuestions(definition).map((q) => [q.id, q]));
  const numbers = questionNumbers(definition);
  const side = (pick: 'before' | 'after'): Answers => Object.fromEntries(changes.flatMap((c) => (c[pick] === undefined ? [] : [[c.key, c[pick]]])));
  const before = side('before');
  const after = side('after');
  const ids = [...new Set(changes.map((c) => questionOfKey(c.key)))].filter((id) => questions.has(id));
  return ids.map((id) => {
    const q = questions.get(id)!;
    return {
      question: `${numbers.get(id)}. ${q.text[language]}`,
      before: formatAnswer(q, before[id], before[specifyKey(id)], language),
      after: formatAnswer(q, after[id], after[specifyKey(id)], language),
    };
  });
}

/** The saved answers of other sections that the skip logic of one section refers to. */
export function conditionAnswers(definition: SurveyDefinition, sectionIndex: number, answers: Answers): Answers {
  const section = definition.sections[sectionIndex]!;
  const own = new Set(section.questions.map((q) => q.id));
  const referenced = new Set(section.questions.flatMap((q) => (q.show_if ? expressionReferences(parseExpression(q.show_if)).map((r) => r.question) : [])));
  return Object.fromEntries(Object.entries(answers).filter(([id]) => referenced.has(id) && !own.has(id)));
}

/**
 * What a page shows before anything is saved: the respondent's own country in country questions
 * (known from the invitation or registration). Shown only; stored when the page is saved.
 */
export function withDefaults(definition: SurveyDefinition, sectionIndex: number, answers: Answers, country: string | null): Answers {
  const shown = { ...answers };
  for (const q of definition.sections[sectionIndex]!.questions) {
    if (q.type === 'country' && country && shown[q.id] === undefined) shown[q.id] = country;
  }
  return shown;
}

/**
 * A questionnaire as it is served and stored: shared lists expanded and scales inlined, so that a
 * stored snapshot means the same thing for ever, whatever later happens to the files.
 */
import type { LocalizedText, Option, QuestionSource, RespondentKind, ScaleSource, SurveySource } from './schema.ts';

export type { LocalizedText, Option, RespondentKind } from './schema.ts';

export interface Scale {
  name: string;
  label?: LocalizedText;
  points: ScaleSource['points'];
  non_substantive: Option[];
  /** Codes of the points reported as the top box (the highest points); absent: no top-box figure. */
  top_box?: string[];
}

type Resolve<Q> = Q extends { type: 'scale' }
  ? Omit<Q, 'scale'> & { scale: Scale }
  : Q extends { type: 'matrix' }
    ? Omit<Q, 'scale' | 'rows'> & { scale: Scale; rows: Option[] }
    : Q extends { options: unknown }
      ? Omit<Q, 'options'> & { options: Option[] }
      : Q;

export type Question = Resolve<QuestionSource>;

export interface Section {
  id: string;
  title: LocalizedText;
  intro?: LocalizedText;
  questions: Question[];
}

export interface SurveyDefinition extends Omit<SurveySource, 'sections' | 'audience'> {
  audience: RespondentKind[];
  sections: Section[];
}

/** Every question in the order respondents meet them. */
export function allQuestions(definition: SurveyDefinition): Question[] {
  return definition.sections.flatMap((section) => section.questions);
}

/** The codes a respondent may give to a single-valued or multi-valued choice question. */
export function choiceCodes(question: Question): string[] {
  switch (question.type) {
    case 'single_choice':
    case 'multi_choice':
    case 'ranking':
      return question.options.map((o) => o.code);
    case 'scale':
    case 'matrix':
      return [...question.scale.points.map((p) => p.code), ...question.scale.non_substantive.map((o) => o.code)];
    case 'yes_no':
      return question.dont_know ? ['yes', 'no', 'dk'] : ['yes', 'no'];
    default:
      return [];
  }
}

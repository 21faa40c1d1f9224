/**
 * One XLSForm question row as a questionnaire question: its type (with its choice list, scale or
 * country list), texts, required flag, limits and toolkit fields. Skip logic and the grouping of
 * rows are read in `import-form.ts`.
 */
import { countryChoices, type CountryScope } from '../../survey-definitions/countries.ts';
import type { CommonSource, LocalizedText, Option } from '../../survey-definitions/schema.ts';
import { constraintToLimits, type AnswerLimits } from './constraints.ts';
import type { TextReader } from './import-texts.ts';
import type { AnswerShape } from './skip-logic.ts';
import { cellAt, cellText, type ConversionProblem, type Sheet, type SheetRow } from './workbook.ts';

/** A choice list of the choices sheet: codes made valid for us, labels in our three languages. */
export interface ChoiceList {
  name: string;
  options: Option[];
}

/** What a question row is read with. */
export interface QuestionRowContext {
  sheet: Sheet;
  row: SheetRow;
  texts: TextReader;
  problems: ConversionProblem[];
  lists: Map<string, ChoiceList>;
  common: CommonSource;
}

/** A question as written in a questionnaire file, and how skip logic may test its answer. */
export interface ImportedQuestion {
  question: Record<string, unknown>;
  shape: AnswerShape;
}

/** The largest answer set for a number question whose form gives no upper limit (our schema needs one). */
export const DEFAULT_NUMERIC_MAX = 1_000_000_000;
const SHORT_TEXT_LIMIT = 1000;

const OTHER_OPTION: Option = {
  code: 'other',
  specify: true,
  label: { en: 'Other (please specify)', fr: 'Autre (veuillez préciser)', es: 'Otro (especifique)' },
};

function report(ctx: QuestionRowContext, column: string | undefined, message: string, essential: boolean): void {
  ctx.problems.push({ ...cellAt(ctx.sheet, ctx.row.row, column), message, essential });
}

/**
 * yes/no lists: the codes `yes`, `no` and optionally `dk`, in a list named like `yes_no` or
 * labelled plainly "Yes" and "No" (a list with other wording stays a single choice, as written).
 */
function yesNoShape(list: ChoiceList): { dontKnow: boolean } | undefined {
  const codes = list.options
    .map((o) => o.code)
    .sort()
    .join(',');
  const plain = list.options.every((o) => ['yes', 'no', 'don’t know', "don't know"].includes(o.label.en.trim().toLowerCase()));
  if (!/^(yes_?no(_dk)?|yn)$/i.test(list.name) && !plain) return undefined;
  if (codes === 'no,yes') return { dontKnow: false };
  if (codes === 'dk,no,yes') return { dontKnow: true };
  return undefined;
}

/** A list named `countries_<scope>` holding exactly that scope's ISO codes is a country question. */
function countryScope(list: ChoiceList): CountryScope | undefined {
  const scope = /^countries_(un_members|un_states|all)$/.exec(list.name)?.[1] as CountryScope | undefined;
  if (!scope) return undefined;
  const wanted = countryChoices(scope)
    .map((c) => c.code.toLowerCase())
    .sort()
    .join(',');
  return list.options
    .map((o) => o.code)
    .sort()
    .join(',') === wanted
    ? scope
    : undefined;
}

/** The shared scale a list stands for: one of that name with the same codes, or one with the same codes and English labels. */
function scaleOf(list: ChoiceList, common: CommonSource): string | undefined {
  const key = (options: { code: string; label: LocalizedText }[], withLabels: boolean) =>
    options
      .map((o) => (withLabels ? `${o.code}=${o.label.en}` : o.code))
      .sort()
      .join('\u0000');
  const codes = key(list.options, false);
  const named = common.scales[list.name];
  if (named && key([...named.points, ...named.non_substantive], false) === codes) return list.name;
  const labelled = key(list.options, true);
  return Object.entries(common.scales).find(([, s]) => key([...s.points, ...s.non_substantive], true) === labelled)?.[0];
}

function readLimits(ctx: QuestionRowContext, wholeNumbers: boolean): AnswerLimits {
  const constraint = cellText(ctx.row, 'constraint').trim();
  if (!constraint) return {};
  const result = constraintToLimits(constraint, wholeNumbers);
  if (result.ok) return result.limits;
  report(ctx, 'constraint', `"${constraint}" ${result.reason}`, true);
  return {};
}

function positiveInteger(ctx: QuestionRowContext, column: string): number | undefined {
  const text = cellText(ctx.row, column).trim();
  if (!text) return undefined;
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  report(ctx, column, `"${text}" is not a whole number of 1 or more`, true);
  return undefined;
}

/** A single choice or a ranking has no limit to carry: any constraint on it is refused. */
function refuseConstraint(ctx: QuestionRowContext, what: string): void {
  const constraint = cellText(ctx.row, 'constraint').trim();
  if (constraint) report(ctx, 'constraint', `"${constraint}": a constraint on ${what} has no counterpart`, true);
}

function choiceList(ctx: QuestionRowContext, name: string): ChoiceList | undefined {
  const list = ctx.lists.get(name);
  if (!list) report(ctx, 'type', `the choice list '${name}' is not on the choices sheet`, true);
  return list;
}

function optionsOf(ctx: QuestionRowContext, list: ChoiceList, orOther: boolean): Option[] {
  const options = list.options.map((o) => ({ ...o, label: ctx.texts.copy(o.label) }));
  if (orOther && !options.some((o) => o.code === OTHER_OPTION.code)) options.push({ ...OTHER_OPTION, label: { ...OTHER_OPTION.label } });
  else if (orOther) options.find((o) => o.code === OTHER_OPTION.code)!.specify = true;
  return options;
}

/**
 * Reads a question row of a type we convert (`select_one`, `select_multiple`, `rank`, `integer`,
 * `decimal`, `text`); `listName` is the type's second word. Undefined when the row cannot be read
 * (the problems say why).
 */
export function importQuestionRow(
  ctx: QuestionRowContext,
  base: Record<string, unknown>,
  type: string,
  listName: string,
  orOther: boolean,
): ImportedQuestion | undefined {
  switch (type) {
    case 'select_one': {
      refuseConstraint(ctx, 'a single choice');
      const list = choiceList(ctx, listName);
      if (!list) return undefined;
      const yesNo = !orOther && yesNoShape(list);
      if (yesNo) return { question: { ...base, type: 'yes_no', ...(yesNo.dontKnow ? { dont_know: true } : {}) }, shape: 'single' };
      const scope = !orOther && countryScope(list);
      if (scope) return { question: { ...base, type: 'country', countries: scope }, shape: 'value' };
      const scale = !orOther && scaleOf(list, ctx.common);
      if (scale) return { question: { ...base, type: 'scale', scale }, shape: 'single' };
      return { question: { ...base, type: 'single_choice', options: optionsOf(ctx, list, orOther) }, shape: 'single' };
    }
    case 'select_multiple': {
      const list = choiceList(ctx, listName);
      if (!list) return undefined;
      const limits = readLimits(ctx, true);
      const options = optionsOf(ctx, list, orOther);
      for (const code of limits.exclusive ?? []) {
        const option = options.find((o) => o.code === code);
        if (option) option.exclusive = true;
        else report(ctx, 'constraint', `'${code}' is not a choice of the list '${list.name}'`, true);
      }
      if (limits.min !== undefined || limits.max !== undefined || limits.maxLength !== undefined)
        report(ctx, 'constraint', 'a limit on the value does not fit a multiple choice', true);
      return {
        question: {
          ...base,
          type: 'multi_choice',
          options,
          ...(limits.minSelections ? { min_selections: limits.minSelections } : {}),
          ...(limits.maxSelections !== undefined ? { max_selections: limits.maxSelections } : {}),
        },
        shape: 'multi',
      };
    }
    case 'rank': {
      refuseConstraint(ctx, 'a ranking');
      const list = choiceList(ctx, listName);
      if (!list) return undefined;
      const minRanked = positiveInteger(ctx, 'toolkit_min_ranked');
      const maxRanked = positiveInteger(ctx, 'toolkit_max_ranked');
      return {
        question: {
          ...base,
          type: 'ranking',
          options: optionsOf(ctx, list, false),
          ...(minRanked ? { min_ranked: minRanked } : {}),
          ...(maxRanked ? { max_ranked: maxRanked } : {}),
        },
        shape: 'multi',
      };
    }
    case 'integer':
    case 'decimal': {
      const limits = readLimits(ctx, type === 'integer');
      if (limits.minSelections !== undefined || limits.maxSelections !== undefined || limits.exclusive || limits.maxLength !== undefined) {
        report(ctx, 'constraint', 'only a range (. >= a and . <= b) fits a number question', true);
      }
      if (limits.max === undefined) {
        report(
          ctx,
          'constraint',
          `no upper limit: the questionnaire needs one, so max is set to ${DEFAULT_NUMERIC_MAX}; set the largest plausible answer instead`,
          false,
        );
      }
      const unit = ctx.texts.complete(ctx.texts.languagesOf(ctx.sheet, ctx.row, 'toolkit_unit'));
      return {
        question: {
          ...base,
          type: 'numeric',
          ...(limits.min !== undefined ? { min: limits.min } : {}),
          max: limits.max ?? DEFAULT_NUMERIC_MAX,
          ...(type === 'integer' ? { integer: true } : {}),
          ...(unit ? { unit } : {}),
        },
        shape: 'value',
      };
    }
    case 'text': {
      const limits = readLimits(ctx, true);
      if (
        limits.min !== undefined ||
        limits.max !== undefined ||
        limits.minSelections !== undefined ||
        limits.maxSelections !== undefined ||
        limits.exclusive
      ) {
        report(ctx, 'constraint', 'only a length limit (string-length(.) <= n) fits a text question', true);
      }
      const multiline = /\bmultiline\b/.test(cellText(ctx.row, 'appearance'));
      const long = multiline || (limits.maxLength ?? 0) > SHORT_TEXT_LIMIT;
      return {
        question: { ...base, type: long ? 'long_text' : 'short_text', ...(limits.maxLength !== undefined ? { max_length: limits.maxLength } : {}) },
        shape: 'value',
      };
    }
    default:
      return undefined;
  }
}

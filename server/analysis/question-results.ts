/**
 * Turns the SQL aggregates of one question into its result (analysis/results.ts): pure functions
 * of counts and the question's definition, with no database, so they are tested with plain data.
 */
import {
  meanTInterval,
  median,
  medianInterval,
  normalizeFrequencies,
  quartiles,
  totalCount,
  wilsonInterval,
  type FrequencyTable,
} from '../../analysis/index.ts';
import type { ChoiceResult, NumericResult, OptionCount, QuestionResult, RankingResult, ScaleResult, ScaleSummary, TextResult } from '../../analysis/results.ts';
import { findCountry } from '../../survey-definitions/countries.ts';
import { DONT_KNOW_CODE, nonSubstantiveCodes } from '../../survey-definitions/non-substantive.ts';
import type { Question, Scale } from '../../survey-definitions/types.ts';
import type { AnalysisText } from './text-answers.queries.ts';

/** The code of a choice question's "don't know" option (and of yes/no's). */
export const DONT_KNOW = DONT_KNOW_CODE;

/** Everything the database said about one question, for the responses covered. */
export interface QuestionFigures {
  /** Responses covered (after filters and exclusions). */
  covered: number;
  /** Respondents with an answer to the question. */
  answered: number;
  /** Respondents with an answer other than "don't know" (`dk`). */
  substantive: number;
  /** Responses that had the question hidden by skip logic. */
  hidden: number;
  /** Respondents per (matrix row or '', code). */
  codes: readonly { item: string; code: string; respondents: number }[];
  /** Numeric answers: respondents per value. */
  values: FrequencyTable;
  /** Ranking answers: respondents per (option, rank). */
  ranks: readonly { item: string; rank: number; respondents: number }[];
  texts: readonly AnalysisText[];
}

/** A labelled count with its share of `base` and 95 % Wilson interval (share and interval null when base = 0). */
export function optionCount(code: string, label: string, count: number, base: number): OptionCount {
  const { p, lower, upper } = wilsonInterval(count, base);
  return { code, label, count, share: p, ci95: lower === null || upper === null ? null : [lower, upper] };
}

function base(question: Question, figures: QuestionFigures) {
  return {
    questionId: question.id,
    text: question.text.en,
    ...(question.shared_key ? { sharedKey: question.shared_key } : {}),
    n: figures.answered,
    // A response pinned to a version without the question counts as missing; never below 0.
    missing: Math.max(0, figures.covered - figures.answered - figures.hidden),
    hidden: figures.hidden,
  };
}

/** The options of a choice question, substantive and non-substantive, labelled in English. */
export function choiceOptions(question: Question): { substantive: { code: string; label: string }[]; nonSubstantive: { code: string; label: string }[] } {
  if (question.type === 'yes_no') {
    return {
      substantive: [
        { code: 'yes', label: 'Yes' },
        { code: 'no', label: 'No' },
      ],
      nonSubstantive: question.dont_know ? [{ code: DONT_KNOW, label: 'Don’t know' }] : [],
    };
  }
  if (question.type === 'single_choice' || question.type === 'multi_choice') {
    const labelled = question.options.map((o) => ({ code: o.code, label: o.label.en }));
    const apart = new Set(nonSubstantiveCodes(question));
    return { substantive: labelled.filter((o) => !apart.has(o.code)), nonSubstantive: labelled.filter((o) => apart.has(o.code)) };
  }
  return { substantive: [], nonSubstantive: [] };
}

/**
 * single_choice, multi_choice, yes_no and country. Option shares are of the respondents who gave a
 * substantive answer (n minus those who only answered "don't know"), so "don't know" never enters
 * a share; the non-substantive counts' shares are of n. Codes answered under an older version but
 * gone from the current one are listed after the others, labelled by their code; countries are
 * listed by count, most chosen first.
 */
export function choiceResult(question: Question, figures: QuestionFigures): ChoiceResult {
  const counts = new Map(figures.codes.filter((c) => c.item === '').map((c) => [c.code, c.respondents]));
  const { substantive, nonSubstantive } = choiceOptions(question);
  let listed = substantive;
  if (question.type === 'country') {
    listed = [...counts.keys()].filter((code) => code !== DONT_KNOW).map((code) => ({ code, label: findCountry(code)?.names.en ?? code }));
    listed.sort((a, b) => (counts.get(b.code) ?? 0) - (counts.get(a.code) ?? 0) || a.label.localeCompare(b.label));
  } else {
    const known = new Set([...substantive, ...nonSubstantive].map((o) => o.code));
    listed = [...listed, ...[...counts.keys()].filter((code) => !known.has(code)).map((code) => ({ code, label: code }))];
  }
  return {
    kind: 'choice',
    ...base(question, figures),
    multiple: question.type === 'multi_choice',
    substantive: figures.substantive,
    options: listed.map((o) => optionCount(o.code, o.label, counts.get(o.code) ?? 0, figures.substantive)),
    nonSubstantive: nonSubstantive.map((o) => optionCount(o.code, o.label, counts.get(o.code) ?? 0, figures.answered)),
  };
}

/**
 * One scale row: the distribution over the points (shares of the substantive n), the
 * non-substantive answers (shares of everyone who answered the row), and mean, median, 95 %
 * t-interval of the point values and the top-box share (of the points the scale declares in
 * `top_box`; null for a scale that declares none). n = 0 gives nulls.
 */
export function scaleSummary(scale: Scale, counts: ReadonlyMap<string, number>): ScaleSummary {
  const table = scale.points.map((p) => ({ value: p.value, count: counts.get(p.code) ?? 0 }));
  const n = totalCount(table);
  const answeredRow = n + scale.non_substantive.reduce((sum, o) => sum + (counts.get(o.code) ?? 0), 0);
  const { mean, lower, upper } = meanTInterval(table);
  return {
    n,
    answered: answeredRow,
    distribution: scale.points.map((p) => optionCount(p.code, p.label.en, counts.get(p.code) ?? 0, n)),
    nonSubstantive: scale.non_substantive.map((o) => optionCount(o.code, o.label.en, counts.get(o.code) ?? 0, answeredRow)),
    mean,
    median: median(table),
    ci95: lower === null || upper === null ? null : [lower, upper],
    topBox: n === 0 || !scale.top_box?.length ? null : scale.top_box.reduce((sum, code) => sum + (counts.get(code) ?? 0), 0) / n,
  };
}

/** scale (one row, code '') and matrix (one row per matrix row of the current version). */
export function scaleResult(question: Extract<Question, { type: 'scale' | 'matrix' }>, figures: QuestionFigures): ScaleResult {
  const rows = question.type === 'matrix' ? question.rows.map((r) => ({ code: r.code, label: r.label.en })) : [{ code: '', label: question.text.en }];
  return {
    kind: 'scale',
    ...base(question, figures),
    scale: question.scale.name,
    topBoxLabels: [...question.scale.points]
      .filter((p) => question.scale.top_box?.includes(p.code))
      .sort((a, b) => b.value - a.value)
      .map((p) => p.label.en),
    rows: rows.map((row) => {
      const counts = new Map(figures.codes.filter((c) => c.item === row.code).map((c) => [c.code, c.respondents]));
      return { ...row, ...scaleSummary(question.scale, counts) };
    }),
  };
}

/**
 * Equal-width histogram from `min` to `max` in `bins` bins (default 10). Each bin is [from, to)
 * except the last, which also holds `max`; all values equal give one bin [v, v]; no values, none.
 *
 * @example
 * equalWidthHistogram([{ value: 0, count: 2 }, { value: 10, count: 1 }], 2); // [{ from: 0, to: 5, count: 2 }, { from: 5, to: 10, count: 1 }]
 */
export function equalWidthHistogram(table: FrequencyTable, bins = 10): { from: number; to: number; count: number }[] {
  const rows = normalizeFrequencies(table);
  const min = rows[0]?.value;
  const max = rows.at(-1)?.value;
  if (min === undefined || max === undefined) return [];
  if (min === max) return [{ from: min, to: max, count: totalCount(rows) }];
  const counts = Array.from({ length: bins }, () => 0);
  // (value − min) · bins / range rather than / width: exact for values on a bin edge.
  for (const { value, count } of rows) counts[Math.min(bins - 1, Math.floor(((value - min) * bins) / (max - min)))]! += count;
  const width = (max - min) / bins;
  return counts.map((count, i) => ({ from: min + i * width, to: i === bins - 1 ? max : min + (i + 1) * width, count }));
}

/**
 * A numeric question: mean with sample SD and 95 % t interval, median with its distribution-free
 * interval (order statistics, exact binomial coverage), quartiles, range and histogram.
 */
export function numericResult(question: Question, figures: QuestionFigures): NumericResult {
  const sorted = normalizeFrequencies(figures.values);
  const { q1, median: middle, q3 } = quartiles(sorted);
  const { mean, sd, lower, upper } = meanTInterval(sorted);
  const around = medianInterval(sorted);
  return {
    kind: 'numeric',
    ...base(question, figures),
    mean,
    sd,
    meanCi95: lower === null || upper === null ? null : [lower, upper],
    median: middle,
    medianCi:
      around.lower === null || around.upper === null || around.lowerRank === null || around.upperRank === null || around.coverage === null
        ? null
        : { lower: around.lower, upper: around.upper, lowerRank: around.lowerRank, upperRank: around.upperRank, coverage: around.coverage },
    quartiles: q1 === null || middle === null || q3 === null ? null : [q1, middle, q3],
    min: sorted[0]?.value ?? null,
    max: sorted.at(-1)?.value ?? null,
    histogram: equalWidthHistogram(sorted),
  };
}

/**
 * Per option: how many respondents ranked it, its mean rank among them (1 = first), and the share
 * of all who answered the question (n) that put it first.
 */
export function rankingResult(question: Extract<Question, { type: 'ranking' }>, figures: QuestionFigures): RankingResult {
  return {
    kind: 'ranking',
    ...base(question, figures),
    options: question.options.map((o) => {
      const ranks = figures.ranks.filter((r) => r.item === o.code);
      const rankedBy = ranks.reduce((sum, r) => sum + r.respondents, 0);
      const first = ranks.find((r) => r.rank === 1)?.respondents ?? 0;
      return {
        code: o.code,
        label: o.label.en,
        rankedBy,
        meanRank: rankedBy === 0 ? null : ranks.reduce((sum, r) => sum + r.rank * r.respondents, 0) / rankedBy,
        firstShare: figures.answered === 0 ? null : first / figures.answered,
      };
    }),
  };
}

export function textResult(question: Question, figures: QuestionFigures): TextResult {
  return { kind: 'text', ...base(question, figures), answers: figures.texts.map((t) => ({ responseId: t.responseId, text: t.text, tags: [...t.tags] })) };
}

/** The result of any question, by its type. */
export function questionResult(question: Question, figures: QuestionFigures): QuestionResult {
  switch (question.type) {
    case 'single_choice':
    case 'multi_choice':
    case 'yes_no':
    case 'country':
      return choiceResult(question, figures);
    case 'scale':
    case 'matrix':
      return scaleResult(question, figures);
    case 'numeric':
      return numericResult(question, figures);
    case 'ranking':
      return rankingResult(question, figures);
    case 'short_text':
    case 'long_text':
      return textResult(question, figures);
  }
}

/**
 * Checks a questionnaire file and turns it into a {@link SurveyDefinition}.
 *
 * Every problem is reported with a path into the file, written with ids where the file has them
 * (`sections.funding.questions.g_contributed.text.fr`) so that authors find the spot at once.
 * A definition is returned only when there is no problem: nothing invalid is ever served.
 */
import type { z } from 'zod';
import { expressionReferences, ExpressionError, parseExpression, type Expression } from './expression.ts';
import { trendFieldProblems } from './check-trends.ts';
import { commonSource, surveySource, type CommonSource, type Option, type QuestionSource } from './schema.ts';
import { choiceCodes, type Question, type Scale, type Section, type SurveyDefinition } from './types.ts';

export interface DefinitionProblem {
  /** Dotted path to the field, e.g. `sections.respondent.questions.g_roles.options.none.label.es`. */
  path: string;
  message: string;
}

export type CheckResult<T> = { ok: true; value: T; problems: [] } | { ok: false; problems: DefinitionProblem[] };

/** Renders a zod issue path with ids in place of array indexes where the file gives them. */
function readablePath(raw: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = raw;
  for (const key of path) {
    const child: unknown = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number' && child !== null && typeof child === 'object') {
      const named = (child as { id?: unknown; code?: unknown }).id ?? (child as { code?: unknown }).code;
      parts.push(typeof named === 'string' && named !== '' ? named : String(key));
    } else {
      parts.push(String(key));
    }
    node = child;
  }
  return parts.join('.') || '(file)';
}

function zodProblems(raw: unknown, error: z.ZodError): DefinitionProblem[] {
  return issueProblems(raw, error.issues, []);
}

function issueProblems(raw: unknown, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      // An option entry that fits neither shape: report the problems of the shape its keys
      // choose (an option, or `{ from }`), e.g. `options.none.label.es: missing Spanish translation`.
      const branch = fittingBranch(issue.errors);
      if (branch) {
        problems.push(...issueProblems(raw, branch, path));
        continue;
      }
      if (path.at(-1) === undefined) continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const type = readType(raw, path);
      for (const key of issue.keys) {
        problems.push({
          path: readablePath(raw, [...path, key]),
          message: type ? `'${key}' does not fit a ${type} question` : `unknown field '${key}'`,
        });
      }
      continue;
    }
    // zod does not keep the input in its issues: look in the file whether the field is missing
    // or present with a value of the wrong type.
    const missing = issue.code === 'invalid_type' && valueAt(raw, path) === undefined;
    const message = missing && !/translation|English/.test(issue.message) ? 'is required' : issue.message;
    problems.push({ path: readablePath(raw, path), message });
  }
  return problems;
}

/** The one branch of a union whose shape fits the given keys, if exactly one does. */
function fittingBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const fitting = branches.filter(
    (issues) => issues.length > 0 && !issues.some((i) => i.path.length === 0 && (i.code === 'unrecognized_keys' || i.code === 'invalid_type')),
  );
  return fitting.length === 1 ? fitting[0] : undefined;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = raw;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

function readType(raw: unknown, path: readonly PropertyKey[]): string | undefined {
  const node = valueAt(raw, path);
  const type = node !== null && typeof node === 'object' ? (node as { type?: unknown }).type : undefined;
  return typeof type === 'string' && path.includes('questions') ? type : undefined;
}

/** Checks the shared scales and lists file. */
export function checkCommon(raw: unknown): CheckResult<CommonSource> {
  const parsed = commonSource.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, problems: zodProblems(raw, parsed.error) };
  const problems: DefinitionProblem[] = [];
  for (const [name, scale] of Object.entries(parsed.data.scales)) {
    duplicates(
      [...scale.points, ...scale.non_substantive].map((p) => p.code),
      (dup) => problems.push({ path: `scales.${name}`, message: `duplicate code '${dup}'` }),
    );
    if (scale.top_box) problems.push(...topBoxProblems(scale, `scales.${name}.top_box`));
  }
  for (const [name, list] of Object.entries(parsed.data.lists)) {
    duplicates(
      list.map((o) => o.code),
      (dup) => problems.push({ path: `lists.${name}`, message: `duplicate option code '${dup}'` }),
    );
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: parsed.data, problems: [] };
}

/**
 * A scale's top box must name points of the scale (not a "don't know"), each once, and be its
 * highest points by value without being all of them.
 */
function topBoxProblems(scale: CommonSource['scales'][string], at: string): DefinitionProblem[] {
  const topBox = scale.top_box ?? [];
  const points = scale.points.map((p) => p.code);
  const problems: DefinitionProblem[] = [];
  topBox.forEach((code, i) => {
    if (!points.includes(code)) problems.push({ path: `${at}.${i}`, message: `'${code}' is not a point of the scale (points: ${points.join(', ')})` });
  });
  duplicates(topBox, (dup) => problems.push({ path: at, message: `duplicate code '${dup}'` }));
  if (problems.length) return problems;
  if (topBox.length >= points.length) return [{ path: at, message: `the top box cannot hold every point of the scale (${points.length} points)` }];
  const highest = [...scale.points]
    .sort((a, b) => b.value - a.value)
    .slice(0, topBox.length)
    .map((p) => p.code);
  if (!highest.every((code) => topBox.includes(code))) {
    const quote = (codes: string[]) => codes.map((c) => `'${c}'`).join(', ');
    return [
      { path: at, message: `the top box must be the highest points of the scale: with ${topBox.length}, ${quote(highest)} (by value), not ${quote(topBox)}` },
    ];
  }
  return [];
}

function duplicates(values: string[], report: (value: string) => void): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) report(value);
    seen.add(value);
  }
}

/**
 * Checks one questionnaire against the schema and its own cross-references.
 *
 * @example
 *   const result = checkDefinition(YAML.parse(text), common);
 *   if (!result.ok) for (const p of result.problems) console.log(`${file}: ${p.path}: ${p.message}`);
 */
export function checkDefinition(raw: unknown, common: CommonSource): CheckResult<SurveyDefinition> {
  const parsed = surveySource.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: zodProblems(raw, parsed.error) };
  const source = parsed.data;
  const problems: DefinitionProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });

  if (source.closes < source.opens) report('closes', `the closing date ${source.closes} is before the opening date ${source.opens}`);

  duplicates(
    source.sections.map((s) => s.id),
    (id) => report('sections', `duplicate section id '${id}'`),
  );

  const seenQuestions = new Map<string, Question>();
  /** Every question id met so far, including questions that failed their own checks. */
  const earlierIds = new Set<string>();
  const sharedKeys = new Set<string>();
  /** Which question each registration field answers (one at most). */
  const registrationFields = new Map<string, string>();
  const sections: Section[] = [];
  for (const section of source.sections) {
    const questions: Question[] = [];
    for (const q of section.questions) {
      const at = `sections.${section.id}.questions.${q.id}`;
      if (seenQuestions.has(q.id)) report(`sections.${section.id}.questions`, `duplicate question id '${q.id}'`);
      if (q.shared_key) {
        if (sharedKeys.has(q.shared_key)) report(`${at}.shared_key`, `shared_key '${q.shared_key}' is used by another question of this questionnaire`);
        sharedKeys.add(q.shared_key);
      }
      if (q.registration) {
        const wanted = q.registration === 'org_type' ? 'single_choice' : 'country';
        if (q.type !== wanted) report(`${at}.registration`, `registration: ${q.registration} needs a ${wanted} question, not ${q.type}`);
        const earlier = registrationFields.get(q.registration);
        if (earlier) report(`${at}.registration`, `registration: ${q.registration} is already answered by question '${earlier}'`);
        else registrationFields.set(q.registration, q.id);
      }
      const resolved = resolveQuestion(q, common, at, report);
      if (resolved) {
        checkLimits(resolved, at, report);
        if (q.show_if !== undefined) checkShowIf(q.show_if, q.id, seenQuestions, earlierIds, source, `${at}.show_if`, report);
        questions.push(resolved);
      }
      if (!seenQuestions.has(q.id) && resolved) seenQuestions.set(q.id, resolved);
      earlierIds.add(q.id);
    }
    sections.push({ ...section, questions });
  }

  const definition: SurveyDefinition = { ...source, sections };
  problems.push(...trendFieldProblems(definition));
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: definition, problems: [] };
}

type Report = (path: string, message: string) => void;

function resolveScale(name: string, common: CommonSource, at: string, report: Report): Scale | undefined {
  const scale = common.scales[name];
  if (!scale) {
    const known = Object.keys(common.scales).join(', ') || 'none';
    report(`${at}.scale`, `unknown scale '${name}' (shared scales: ${known})`);
    return undefined;
  }
  return { name, ...scale };
}

function resolveOptions(
  entries: (Option | { from: string })[],
  common: CommonSource,
  at: string,
  what: 'options' | 'rows',
  report: Report,
): Option[] | undefined {
  const options: Option[] = [];
  let ok = true;
  entries.forEach((entry, index) => {
    if ('from' in entry) {
      const list = common.lists[entry.from];
      if (list) options.push(...list);
      else {
        report(`${at}.${what}.${index}.from`, `unknown shared list '${entry.from}' (shared lists: ${Object.keys(common.lists).join(', ') || 'none'})`);
        ok = false;
      }
    } else options.push(entry);
  });
  duplicates(
    options.map((o) => o.code),
    (code) => {
      report(`${at}.${what}`, `duplicate ${what === 'rows' ? 'row' : 'option'} code '${code}'`);
      ok = false;
    },
  );
  return ok ? options : undefined;
}

function resolveQuestion(q: QuestionSource, common: CommonSource, at: string, report: Report): Question | undefined {
  switch (q.type) {
    case 'scale': {
      const scale = resolveScale(q.scale, common, at, report);
      return scale && { ...q, scale };
    }
    case 'matrix': {
      const scale = resolveScale(q.scale, common, at, report);
      const rows = resolveOptions(q.rows, common, at, 'rows', report);
      rows?.forEach((row) => {
        if (row.specify || row.exclusive) report(`${at}.rows.${row.code}`, `a matrix row cannot be ${row.specify ? "'specify'" : "'exclusive'"}`);
      });
      return scale && rows && { ...q, scale, rows };
    }
    case 'single_choice':
    case 'multi_choice':
    case 'ranking': {
      const options = resolveOptions(q.options, common, at, 'options', report);
      if (options && q.type !== 'multi_choice') {
        for (const o of options) if (o.exclusive) report(`${at}.options.${o.code}.exclusive`, `'exclusive' only fits a multi_choice question, not ${q.type}`);
      }
      if (options && q.type === 'ranking') {
        for (const o of options) if (o.specify) report(`${at}.options.${o.code}.specify`, `'specify' does not fit a ranking question`);
      }
      return options && ({ ...q, options } as Question);
    }
    default:
      return q;
  }
}

function checkLimits(q: Question, at: string, report: Report): void {
  if (q.type === 'multi_choice') {
    const n = q.options.length;
    if (q.max_selections !== undefined && q.max_selections > n)
      report(`${at}.max_selections`, `max_selections ${q.max_selections} is more than the ${n} options`);
    if (q.min_selections !== undefined && q.max_selections !== undefined && q.min_selections > q.max_selections)
      report(`${at}.min_selections`, `min_selections ${q.min_selections} is more than max_selections ${q.max_selections}`);
    else if (q.min_selections !== undefined && q.min_selections > n)
      report(`${at}.min_selections`, `min_selections ${q.min_selections} is more than the ${n} options`);
  }
  if (q.type === 'ranking') {
    const n = q.options.length;
    // Counted once shared lists are expanded: `- from: topics` is one entry but many options.
    if (n < 2) report(`${at}.options`, `a ranking needs at least two options, not ${n}`);
    if (q.max_ranked !== undefined && q.max_ranked > n) report(`${at}.max_ranked`, `max_ranked ${q.max_ranked} is more than the ${n} options`);
    if (q.min_ranked !== undefined && q.max_ranked !== undefined && q.min_ranked > q.max_ranked)
      report(`${at}.min_ranked`, `min_ranked ${q.min_ranked} is more than max_ranked ${q.max_ranked}`);
    else if (q.min_ranked !== undefined && q.min_ranked > n) report(`${at}.min_ranked`, `min_ranked ${q.min_ranked} is more than the ${n} options`);
  }
  if (q.type === 'numeric') {
    // Without a ceiling a typing slip (12000000 for 12000) or a number too large to keep exactly
    // would be stored and skew every statistic; snapshots published earlier keep reading without one.
    if (q.max === undefined) report(`${at}.max`, `a numeric question needs 'max', the largest plausible answer (for example max: 1000000)`);
    for (const [key, limit] of [
      ['min', q.min],
      ['max', q.max],
    ] as const) {
      if (limit !== undefined && Math.abs(limit) > Number.MAX_SAFE_INTEGER)
        report(`${at}.${key}`, `${key} ${limit} is beyond ${Number.MAX_SAFE_INTEGER}, the largest whole number kept exactly`);
    }
    if (q.min !== undefined && q.max !== undefined && q.min > q.max) report(`${at}.min`, `min ${q.min} is more than max ${q.max}`);
  }
  if (q.type === 'scale' || q.type === 'matrix') {
    const values = q.scale.points.map((p) => p.value);
    duplicates(values.map(String), (v) => report(`${at}.scale`, `scale '${q.scale.name}' gives the value ${v} to two points`));
  }
}

function checkShowIf(
  text: string,
  questionId: string,
  earlier: Map<string, Question>,
  earlierIds: Set<string>,
  source: { sections: { questions: { id: string }[] }[] },
  at: string,
  report: Report,
): void {
  let expression: Expression;
  try {
    expression = parseExpression(text);
  } catch (error) {
    // A long expression is quoted by its start only: the message must stay readable.
    const quoted = text.length > 80 ? `${text.slice(0, 60)}…` : text;
    if (!(error instanceof ExpressionError)) throw error;
    report(at, `cannot read '${quoted}': ${error.message}`);
    return;
  }
  const later = new Set(source.sections.flatMap((s) => s.questions.map((q) => q.id)));
  for (const ref of expressionReferences(expression)) {
    const target = earlier.get(ref.question);
    if (ref.question === questionId) {
      report(at, `refers to the question itself ('${questionId}')`);
      continue;
    }
    if (!target) {
      // An earlier question that has problems of its own: those are reported already.
      if (earlierIds.has(ref.question)) continue;
      report(
        at,
        later.has(ref.question)
          ? `refers to '${ref.question}', which comes later in the questionnaire (skip logic may only use earlier answers)`
          : `refers to unknown question '${ref.question}'`,
      );
      continue;
    }
    if (target.type === 'matrix') {
      report(at, `skip logic cannot test the matrix question '${target.id}' (its answer is one code per row)`);
      continue;
    }
    const multiValued = target.type === 'multi_choice' || target.type === 'ranking';
    if (ref.operator === 'includes' && !multiValued) report(at, `'in' needs a multi_choice or ranking question, but '${target.id}' is ${target.type}`);
    if (ref.operator === 'equals' && multiValued) report(at, `'==' cannot test the multi-valued question '${target.id}'; use 'code in ${target.id}'`);
    const codes = choiceCodes(target);
    if (target.type === 'numeric' || target.type === 'short_text' || target.type === 'long_text' || target.type === 'country') continue;
    for (const value of ref.values) {
      if (!codes.includes(value)) report(at, `'${value}' is not an option of '${target.id}' (options: ${codes.join(', ')})`);
    }
  }
}

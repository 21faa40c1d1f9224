import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { checkCommon, checkDefinition } from '../../survey-definitions/check-definition.ts';
import { checkTrends, trendFieldProblems, trendPairs, type TrendFile } from '../../survey-definitions/check-trends.ts';
import { loadDefinitions } from '../../survey-definitions/load-definitions.ts';
import type { CommonSource } from '../../survey-definitions/schema.ts';
import { surveysCheck } from '../../server/cli/surveys-check.ts';
import { option, question, rawCommon, rawDefinition, tr, type Raw } from '../fixtures/survey-definitions.ts';

/** The fixtures' shared file plus `agree_shifted` (the codes of `agree`, other values) and `agree_plain` (no "don't know"). */
function rawTrendCommon(): Raw {
  const base = rawCommon() as { scales: Record<string, Raw>; lists: Raw };
  const points = (values: number[]) => values.map((value, i) => ({ code: String(i + 1), value, label: tr(`Point ${i + 1}`) }));
  return {
    ...base,
    scales: {
      ...base.scales,
      agree_shifted: { points: points([0, 1, 2]), non_substantive: [{ code: 'dk', label: tr('Don’t know') }] },
      agree_plain: { points: points([1, 2, 3]) },
    },
  };
}

function trendCommon(): CommonSource {
  const result = checkCommon(rawTrendCommon());
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

/** A checked questionnaire of a phase (2011 unless told otherwise) for governments. */
function file(name: string, questions: Raw[], extra: Raw = {}): TrendFile {
  const result = checkDefinition(rawDefinition(questions, { id: name.replace(/\.yaml$/, ''), phase: 2011, ...extra }), trendCommon());
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return { file: name, definition: result.value };
}

const earlierFile = (q: Raw, extra: Raw = {}) => file('assessment.yaml', [q], extra);
const laterFile = (q: Raw, extra: Raw = {}) => file('stocktake.yaml', [q], { phase: 2012, ...extra });
const tied = (id: string, type: string, extra: Raw = {}) => question(id, type, { trend_key: 'k', ...extra });
const AT = 'sections.s1.questions.q_b.trend_key';

describe('checkTrends: tied questions must compare', () => {
  it.each<[string, Raw, Raw, string[]]>([
    ['the same choice question', tied('q_a', 'single_choice'), tied('q_b', 'single_choice'), []],
    ['options in another order', tied('q_a', 'ranking'), tied('q_b', 'ranking', { options: [option('c'), option('a'), option('b')] }), []],
    ['the same scale', tied('q_a', 'scale'), tied('q_b', 'scale'), []],
    [
      'another type',
      tied('q_a', 'single_choice'),
      tied('q_b', 'multi_choice'),
      ["the types differ: multi_choice here, single_choice in assessment.yaml's question q_a"],
    ],
    [
      'a new option',
      tied('q_a', 'single_choice'),
      tied('q_b', 'single_choice', { options: [option('a'), option('b'), option('c'), option('d')] }),
      ["code 'd' has no counterpart in assessment.yaml's question q_a (codes: a, b, c)"],
    ],
    [
      'an option dropped without a mapping',
      tied('q_a', 'multi_choice'),
      tied('q_b', 'multi_choice', { options: [option('a'), option('b')] }),
      ["assessment.yaml's question q_a has the code 'c', which has no counterpart here (map the codes with trend_codes if it was merged or dropped)"],
    ],
    [
      'options mapped: d stands for c, b dropped',
      tied('q_a', 'single_choice'),
      tied('q_b', 'single_choice', { options: [option('a'), option('d')], trend_codes: { d: 'c' } }),
      [],
    ],
    [
      'two options mapped to one (a split)',
      tied('q_a', 'single_choice'),
      tied('q_b', 'single_choice', { options: [option('a1'), option('a2'), option('b'), option('c')], trend_codes: { a1: 'a', a2: 'a' } }),
      [],
    ],
    [
      'a mapping to a code the earlier question lacks',
      tied('q_a', 'single_choice'),
      tied('q_b', 'single_choice', { options: [option('a'), option('d')], trend_codes: { d: 'z' } }),
      ["code 'd' (mapped to 'z') has no counterpart in assessment.yaml's question q_a (codes: a, b, c)"],
    ],
    [
      'scale points with other values',
      tied('q_a', 'scale'),
      tied('q_b', 'scale', { scale: 'agree_shifted' }),
      [1, 2, 3].map(
        (v) =>
          `code '${v}' has the value ${v - 1}, but '${v}' of assessment.yaml's question q_a has the value ${v}; tied scale points must have the same value, or averages would not compare`,
      ),
    ],
    [
      'a "don\'t know" the earlier scale lacks',
      tied('q_a', 'scale', { scale: 'agree_plain' }),
      tied('q_b', 'scale'),
      ["code 'dk' has no counterpart in assessment.yaml's question q_a (codes: 1, 2, 3)"],
    ],
    [
      'a point mapped to "don\'t know"',
      tied('q_a', 'scale'),
      tied('q_b', 'scale', { trend_codes: { '3': 'dk' } }),
      [`code '3' (mapped to 'dk') is an answer, but 'dk' of assessment.yaml's question q_a is a "don't know"-like answer`],
    ],
    [
      'matrix rows that differ',
      tied('q_a', 'matrix'),
      tied('q_b', 'matrix', { rows: [option('r1'), option('r3')] }),
      [
        "row 'r3' has no counterpart in assessment.yaml's question q_a (rows: r1, r2)",
        "assessment.yaml's question q_a has the row 'r2', which has no counterpart here (map the codes with trend_codes if it was merged or dropped)",
      ],
    ],
    ['matrix rows mapped', tied('q_a', 'matrix'), tied('q_b', 'matrix', { rows: [option('r1'), option('r3')], trend_codes: { r3: 'r2' } }), []],
    [
      'yes/no with "don\'t know" only later',
      tied('q_a', 'yes_no'),
      tied('q_b', 'yes_no', { dont_know: true }),
      ["code 'dk' has no counterpart in assessment.yaml's question q_a (codes: yes, no)"],
    ],
    [
      'yes/no with "don\'t know" only earlier',
      tied('q_a', 'yes_no', { dont_know: true }),
      tied('q_b', 'yes_no'),
      ["assessment.yaml's question q_a has the code 'dk', which has no counterpart here (map the codes with trend_codes if it was merged or dropped)"],
    ],
    ['numbers in the same unit', tied('q_a', 'numeric', { unit: tr('EUR') }), tied('q_b', 'numeric', { unit: tr('EUR'), max: 5 }), []],
    [
      'numbers in another unit',
      tied('q_a', 'numeric', { unit: tr('EUR') }),
      tied('q_b', 'numeric', { unit: tr('USD') }),
      ["the units differ: 'USD' here, 'EUR' in assessment.yaml's question q_a"],
    ],
    ['countries from other lists', tied('q_a', 'country', { countries: 'un_members' }), tied('q_b', 'country', { countries: 'un_states' }), []],
  ])('%s', (_name, earlierQuestion, laterQuestion, messages) => {
    const problems = checkTrends([earlierFile(earlierQuestion), laterFile(laterQuestion)]);
    expect(problems).toEqual(messages.map((m) => ({ file: 'stocktake.yaml', path: AT, message: `trend_key 'k': ${m}` })));
  });

  it('reports a trend_key the earlier questionnaire of the same respondents lacks', () => {
    const problems = checkTrends([earlierFile(tied('q_a', 'yes_no', { trend_key: 'other' })), laterFile(tied('q_b', 'yes_no'))]);
    expect(problems).toEqual([
      {
        file: 'stocktake.yaml',
        path: AT,
        message: "trend_key 'k' is not a trend_key of assessment.yaml (assessment, phase 2011), the earlier questionnaire for government",
      },
    ]);
  });

  it('reports on the later file whichever order the files come in, and checks the later against every earlier one', () => {
    const older = file('older.yaml', [tied('q_o', 'yes_no')], { phase: 2010 });
    const problems = checkTrends([laterFile(tied('q_b', 'yes_no', { dont_know: true })), earlierFile(tied('q_a', 'yes_no')), older]);
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      "stocktake.yaml: trend_key 'k': code 'dk' has no counterpart in assessment.yaml's question q_a (codes: yes, no)",
      "stocktake.yaml: trend_key 'k': code 'dk' has no counterpart in older.yaml's question q_o (codes: yes, no)",
    ]);
  });

  it.each<[string, Raw, Raw]>([
    ['audiences without a kind in common', { audience: ['government'] }, { audience: ['civil_society'] }],
    ['the same phase', { phase: 2012 }, { phase: 2012 }],
  ])('pairs no questionnaires with %s', (_name, earlierExtra, laterExtra) => {
    expect(checkTrends([earlierFile(tied('q_a', 'yes_no'), earlierExtra), laterFile(tied('q_b', 'single_choice'), laterExtra)])).toEqual([]);
  });

  it('takes the phase, not the file, as what is earlier', () => {
    const problems = checkTrends([earlierFile(tied('q_a', 'yes_no'), { phase: 2013 }), laterFile(tied('q_b', 'single_choice'))]);
    expect(problems).toEqual([
      {
        file: 'assessment.yaml',
        path: 'sections.s1.questions.q_a.trend_key',
        message: "trend_key 'k': the types differ: yes_no here, single_choice in stocktake.yaml's question q_b",
      },
    ]);
  });

  it('pairs questionnaires that share one kind of respondent', () => {
    const problems = checkTrends([
      earlierFile(tied('q_a', 'yes_no'), { audience: ['government', 'international_org'] }),
      laterFile(tied('q_b', 'single_choice'), { audience: ['civil_society', 'international_org'] }),
    ]);
    expect(problems).toEqual([
      { file: 'stocktake.yaml', path: AT, message: "trend_key 'k': the types differ: single_choice here, yes_no in assessment.yaml's question q_a" },
    ]);
  });
});

describe('trendFieldProblems: the trend fields of one questionnaire', () => {
  function problemsOf(questions: Raw[], extra: Raw = { phase: 2012 }) {
    const result = checkDefinition(rawDefinition(questions, extra), trendCommon());
    return result.ok ? [] : result.problems;
  }

  it.each<[string, Raw[], Raw, { path: string; message: string }[]]>([
    ['a valid tie', [tied('q1', 'scale', { trend_codes: { '3': '3' } })], { phase: 2012 }, []],
    [
      'trend keys without a phase (one problem for the file)',
      [tied('q1', 'yes_no'), tied('q2', 'scale', { trend_key: 'k2' })],
      {},
      [
        {
          path: 'phase',
          message:
            "questions 'q1' and 1 more carry a trend_key, which ties a question across phases, but the questionnaire declares no phase (add, for example, phase: 2012 at the top of the file)",
        },
      ],
    ],
    [
      'one trend_key on two questions',
      [tied('q1', 'yes_no'), tied('q2', 'yes_no')],
      { phase: 2012 },
      [{ path: 'sections.s1.questions.q2.trend_key', message: "trend_key 'k' is already used by question 'q1' of this questionnaire" }],
    ],
    [
      'trend_codes without a trend_key',
      [question('q1', 'single_choice', { trend_codes: { a: 'b' } })],
      { phase: 2012 },
      [
        {
          path: 'sections.s1.questions.q1.trend_codes',
          message: 'trend_codes needs a trend_key: it maps this question’s codes to those of the tied earlier question',
        },
      ],
    ],
    [
      'free text tied',
      [tied('q1', 'short_text'), tied('q2', 'long_text', { trend_key: 'k2' })],
      { phase: 2012 },
      ['short_text', 'long_text'].map((type, i) => ({
        path: `sections.s1.questions.q${i + 1}.trend_key`,
        message: `a ${type} question cannot be tied: a trend compares counts, and free text has none (read each phase's texts on the free-text page)`,
      })),
    ],
    [
      'trend_codes on a question without codes',
      [tied('q1', 'numeric', { trend_codes: { a: 'b' } })],
      { phase: 2012 },
      [{ path: 'sections.s1.questions.q1.trend_codes', message: 'trend_codes maps codes, and a numeric question has none' }],
    ],
    [
      'trend_codes of a code the question lacks',
      [tied('q1', 'single_choice', { trend_codes: { z: 'a' } })],
      { phase: 2012 },
      [{ path: 'sections.s1.questions.q1.trend_codes.z', message: "'z' is not a code of this question (codes: a, b, c)" }],
    ],
    [
      'trend_codes of a matrix code that is both a row and a scale point',
      [tied('q1', 'matrix', { rows: [option('1'), option('r2')], trend_codes: { '1': 'r1' } })],
      { phase: 2012 },
      [{ path: 'sections.s1.questions.q1.trend_codes.1', message: "'1' is both a row and a scale code of this matrix, so its mapping is ambiguous" }],
    ],
  ])('%s', (_name, questions, extra, problems) => {
    expect(problemsOf(questions, extra)).toEqual(problems);
  });

  it('is what checkDefinition reports, and nothing for a questionnaire without trend fields', () => {
    const definition = checkDefinition(rawDefinition([question('q1', 'yes_no')]), trendCommon());
    expect(definition.ok && trendFieldProblems(definition.value)).toEqual([]);
  });
});

describe('trendPairs', () => {
  it('pairs tied questions that compare, with the later codes mapped to the earlier ones', () => {
    const earlier = file('a.yaml', [
      tied('a_choice', 'single_choice', { trend_key: 'choice' }),
      tied('a_rows', 'matrix', { trend_key: 'rows' }),
      tied('a_broken', 'yes_no', { trend_key: 'broken' }),
      tied('a_number', 'numeric', { trend_key: 'number' }),
      tied('a_only', 'yes_no', { trend_key: 'only_earlier' }),
    ]).definition;
    const later = file(
      'b.yaml',
      [
        tied('b_number', 'numeric', { trend_key: 'number' }),
        tied('b_choice', 'single_choice', { trend_key: 'choice', options: [option('a'), option('b'), option('d')], trend_codes: { d: 'c' } }),
        tied('b_rows', 'matrix', { trend_key: 'rows', rows: [option('r1'), option('r3')], trend_codes: { r3: 'r2' } }),
        tied('b_broken', 'single_choice', { trend_key: 'broken' }),
        tied('b_new', 'yes_no', { trend_key: 'only_later' }),
      ],
      { phase: 2012 },
    ).definition;
    const pairs = trendPairs(earlier, later);
    expect(pairs.map((p) => [p.trendKey, p.earlierQuestion.id, p.laterQuestion.id, p.codeMap])).toEqual([
      ['number', 'a_number', 'b_number', {}],
      ['choice', 'a_choice', 'b_choice', { a: 'a', b: 'b', d: 'c' }],
      ['rows', 'a_rows', 'b_rows', { r1: 'r1', r3: 'r2', '1': '1', '2': '2', '3': '3', dk: 'dk' }],
    ]);
  });
});

describe('surveys check with phases', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('names the later file, the question, the code and the earlier question, exits 1 and serves the later file no more', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'check-trends-'));
    folders.push(dir);
    const assessment = rawDefinition([question('g_support_unit', 'scale', { trend_key: 'support_unit_rating' })], { id: 'government-assessment', phase: 2011 });
    const stocktake = rawDefinition(
      [question('s_support_unit', 'single_choice', { trend_key: 'support_unit_rating', options: ['1', '2', '3', 'dk', '6'].map((c) => option(c)) })],
      {
        id: 'government-stocktake',
        phase: 2012,
      },
    );
    for (const [name, content] of Object.entries({
      'common.yaml': rawTrendCommon(),
      'government-assessment.yaml': assessment,
      'government-stocktake.yaml': stocktake,
    })) {
      await writeFile(path.join(dir, name), YAML.stringify(content), 'utf8');
    }
    const lines: string[] = [];
    const code = await surveysCheck(dir, { log: (l) => lines.push(`log ${l}`), error: (l) => lines.push(`error ${l}`) });
    expect(code).toBe(1);
    expect(lines[0]).toBe(
      "error government-stocktake.yaml: sections.s1.questions.s_support_unit.trend_key: trend_key 'support_unit_rating': the types differ: single_choice here, scale in government-assessment.yaml's question g_support_unit",
    );
    expect(lines.slice(1).map((l) => l.replace(/sha256 \w+/, 'sha256 …'))).toEqual([
      'log government-assessment.yaml: ok (government-assessment version 1, 1 questions, sha256 …)',
    ]);

    stocktake['sections'] = rawDefinition([question('s_support_unit', 'scale', { trend_key: 'support_unit_rating', scale: 'agree_shifted' })])['sections'];
    await writeFile(path.join(dir, 'government-stocktake.yaml'), YAML.stringify(stocktake), 'utf8');
    const { definitions, problems } = await loadDefinitions(dir);
    expect(problems.map((p) => `${p.file}: ${p.path}: ${p.message}`)[0]).toBe(
      "government-stocktake.yaml: sections.s1.questions.s_support_unit.trend_key: trend_key 'support_unit_rating': code '1' has the value 0, but '1' of government-assessment.yaml's question g_support_unit has the value 1; tied scale points must have the same value, or averages would not compare",
    );
    expect(definitions.map((d) => d.file)).toEqual(['government-assessment.yaml']);
  });
});

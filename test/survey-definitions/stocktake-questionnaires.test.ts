/**
 * The 2012 stocktake questionnaires as shipped: they load and pass the checks, and every question
 * they tie to a 2011 question (`trend_key`) repeats it word for word, in the three languages, with
 * the same type, scale, options, rows and skip logic. Compared here field by field on the resolved
 * definitions, on their own, without the comparability rule of `surveys check`.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../survey-definitions/load-definitions.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';

const SHIPPED = path.resolve('survey-definitions');

/** Each stocktake questionnaire and the 2011 questionnaire it repeats questions of. */
const PAIRS = [
  { earlier: 'government-assessment', later: 'government-stocktake' },
  { earlier: 'civil-society-survey', later: 'civil-society-stocktake' },
] as const;

/** The fields of a tied question that may differ from its 2011 counterpart. */
const MAY_DIFFER = new Set(['id', 'trend_codes']);

/**
 * How a tied question differs from its earlier counterpart, one line per difference ("text.fr
 * differs"); empty when the later question repeats the earlier word for word.
 */
function tiedDifferences(earlier: Question, later: Question): string[] {
  const differences: string[] = [];
  const a = earlier as unknown as Record<string, unknown>;
  const b = later as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (MAY_DIFFER.has(key)) continue;
    differences.push(...differencesAt(key, a[key], b[key]));
  }
  return differences;
}

function differencesAt(at: string, a: unknown, b: unknown): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${at} has ${b.length} entries, not ${a.length}`];
    return a.flatMap((item, i) => differencesAt(`${at}.${codeOf(item) ?? i}`, item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => differencesAt(`${at}.${key}`, a[key], b[key]));
  }
  return Object.is(a, b) ? [] : [`${at} differs: ${JSON.stringify(a)} then ${JSON.stringify(b)}`];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const codeOf = (v: unknown): string | undefined => (isObject(v) && typeof v.code === 'string' ? v.code : undefined);

/** The codes a question's answers are counted by: options, scale points, or matrix rows. */
function countedCodes(q: Question): string[] {
  if (q.type === 'matrix') return q.rows.map((r) => r.code);
  if (q.type === 'scale') return q.scale.points.map((p) => p.code);
  if ('options' in q) return q.options.map((o) => o.code);
  return [];
}

let byId: Map<string, SurveyDefinition>;

beforeAll(async () => {
  const { definitions, problems } = await loadDefinitions(SHIPPED);
  expect(problems).toEqual([]);
  byId = new Map(definitions.map((d) => [d.definition.id, d.definition]));
});

const tied = (definition: SurveyDefinition) => allQuestions(definition).filter((q) => q.trend_key !== undefined);

describe('tiedDifferences (the comparison the tests below rely on)', () => {
  type Choice = Extract<Question, { type: 'single_choice' }>;
  const label = (text: string) => ({ en: text, fr: text, es: text });
  const base = (): Choice => ({
    id: 'q',
    type: 'single_choice',
    required: true,
    text: { en: 'Which?', fr: 'Lequel ?', es: '¿Cuál?' },
    options: [
      { code: 'a', label: label('A') },
      { code: 'b', label: label('B') },
    ],
  });

  it('finds nothing between a question and its copy under another id', () => {
    expect(tiedDifferences(base(), { ...base(), id: 'q2' })).toEqual([]);
  });

  it.each<[string, (q: Choice) => Choice, string]>([
    ['a French word', (q) => ({ ...q, text: { ...q.text, fr: 'Laquelle ?' } }), 'text.fr'],
    ['a Spanish option label', (q) => ({ ...q, options: [q.options[0]!, { code: 'b', label: { ...label('B'), es: 'Be' } }] }), 'options.b.label.es'],
    ['an option code', (q) => ({ ...q, options: [q.options[0]!, { code: 'c', label: label('B') }] }), 'options.b.code'],
    ['an option too many', (q) => ({ ...q, options: [...q.options, { code: 'c', label: label('C') }] }), 'options has 3 entries'],
    ['the skip logic', (q) => ({ ...q, show_if: 'x == yes' }), 'show_if'],
    ['a help text added', (q) => ({ ...q, help: label('Help') }), 'help'],
    ['a question made optional', (q) => ({ ...q, required: false }), 'required'],
  ])('finds %s changed', (_, change, where) => {
    const differences = tiedDifferences(base(), change(base()));
    expect(differences).toHaveLength(1);
    expect(differences[0]).toContain(where);
  });
});

describe.each(PAIRS)('$later repeats questions of $earlier', ({ earlier: earlierId, later: laterId }) => {
  let earlier: SurveyDefinition;
  let later: SurveyDefinition;
  beforeAll(() => {
    earlier = byId.get(earlierId)!;
    later = byId.get(laterId)!;
    expect(earlier, earlierId).toBeDefined();
    expect(later, laterId).toBeDefined();
  });

  it('belongs to the 2012 phase, for the same respondents, opening after the 2011 questionnaire closes', () => {
    expect(earlier.phase).toBe(2011);
    expect(later.phase).toBe(2012);
    expect(later.audience).toEqual(earlier.audience);
    expect(later.open_registration).toBe(earlier.open_registration);
    expect(later.opens > earlier.closes).toBe(true);
    expect(later.opens.startsWith('2027-')).toBe(true);
  });

  it('ties 8 to 15 questions, among them a scale, a matrix, a yes/no and a single choice', () => {
    const questions = tied(later);
    expect(questions.length).toBeGreaterThanOrEqual(8);
    expect(questions.length).toBeLessThanOrEqual(15);
    const types = new Set(questions.map((q) => q.type));
    for (const type of ['scale', 'matrix', 'yes_no', 'single_choice'] as const) expect(types, type).toContain(type);
  });

  it('ties each question to exactly one 2011 question, and every tied 2011 question is repeated', () => {
    const laterKeys = tied(later).map((q) => q.trend_key!);
    const earlierKeys = tied(earlier).map((q) => q.trend_key!);
    expect(new Set(laterKeys).size).toBe(laterKeys.length);
    expect(new Set(earlierKeys).size).toBe(earlierKeys.length);
    expect([...laterKeys].sort()).toEqual([...earlierKeys].sort());
  });

  it('repeats every tied question word for word: text, help, type, scale, options, rows and skip logic', () => {
    const earlierByKey = new Map(tied(earlier).map((q) => [q.trend_key!, q]));
    const differences = tied(later).flatMap((q) => {
      const counterpart = earlierByKey.get(q.trend_key!);
      if (!counterpart) return [`${q.id}: no 2011 question with trend_key '${q.trend_key}'`];
      return tiedDifferences(counterpart, q).map((d) => `${q.id}: ${d}`);
    });
    expect(differences).toEqual([]);
    // The wording compared above is the wording respondents read, in each language.
    for (const q of tied(later)) expect(q.text).toEqual(earlierByKey.get(q.trend_key!)!.text);
  });

  it('maps codes only where it declares trend_codes, from its own codes to 2011 codes', () => {
    const earlierByKey = new Map(tied(earlier).map((q) => [q.trend_key!, q]));
    for (const q of tied(later)) {
      const counterpart = earlierByKey.get(q.trend_key!)!;
      if (!q.trend_codes) {
        expect(countedCodes(q), q.id).toEqual(countedCodes(counterpart));
        continue;
      }
      for (const [code, earlierCode] of Object.entries(q.trend_codes)) {
        expect(countedCodes(q), q.id).toContain(code);
        expect(countedCodes(counterpart), q.id).toContain(earlierCode);
      }
    }
  });

  it('asks again the ratings of the GFMD bodies, the Support Unit among them, and the overall value', () => {
    const structure = tied(later).find((q) => q.type === 'matrix' && q.rows.some((r) => r.code === 'support_unit'));
    expect(structure?.type === 'matrix' && structure.rows.map((r) => r.code)).toEqual(
      expect.arrayContaining(['chair_in_office', 'troika', 'steering_group', 'friends_of_forum', 'support_unit', 'roundtable_format']),
    );
    expect(tied(later).some((q) => q.shared_key === 'overall_value' && q.type === 'scale')).toBe(true);
    expect(tied(later).some((q) => q.shared_key === 'funding_predictable')).toBe(true);
    expect(tied(later).some((q) => q.shared_key === 'links_strength')).toBe(true);
  });

  it('asks who answers as the 2011 questionnaire does, for the breakdowns: country, and for civil society its type', () => {
    const respondent = (d: SurveyDefinition) => d.sections[0]!.questions;
    const country = respondent(later).find((q) => q.type === 'country');
    expect(country?.identifying).toBe(true);
    expect(country).toEqual(respondent(earlier).find((q) => q.type === 'country'));
    const registered = (d: SurveyDefinition) =>
      allQuestions(d)
        .filter((q) => q.registration)
        .map((q) => [q.id, q.registration, q.quasi_identifier]);
    expect(registered(later)).toEqual(registered(earlier));
  });
});

describe('the two stocktake questionnaires', () => {
  it('ask their shared questions alike, so that governments and civil society can be compared in 2012', () => {
    const shared = (d: SurveyDefinition) =>
      new Map(
        allQuestions(d)
          .filter((q) => q.shared_key)
          .map((q) => [q.shared_key!, q]),
      );
    const government = shared(byId.get('government-stocktake')!);
    const civilSociety = shared(byId.get('civil-society-stocktake')!);
    const common = [...government.keys()].filter((k) => civilSociety.has(k));
    expect(common.length).toBeGreaterThanOrEqual(15);
    for (const key of common) {
      const [g, cs] = [government.get(key)!, civilSociety.get(key)!];
      expect(g.type, key).toBe(cs.type);
      if (g.type === 'matrix' && cs.type === 'matrix') {
        // Civil society rates one link more than governments do (civil society within RCPs).
        expect(g.scale, key).toEqual(cs.scale);
        expect(countedCodes(cs), key).toEqual(expect.arrayContaining(countedCodes(g)));
      } else expect(countedCodes(g), key).toEqual(countedCodes(cs));
    }
  });
});

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { loadDefinitions } from '../../../survey-definitions/load-definitions.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { validateAnswers } from '../../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../../survey-definitions/visibility.ts';
import { planDemo, type DemoInvitee } from '../../../server/demo/demo-population.ts';
import {
  answersOfFirstSections,
  generateAnswers,
  generateValidAnswers,
  InvalidDemoAnswersError,
  type RespondentProfile,
} from '../../../server/demo/generate-answers.ts';
import { createRandom } from '../../../server/demo/random.ts';
import { definition, option, question } from '../../fixtures/survey-definitions.ts';

let government: SurveyDefinition;
let civilSociety: SurveyDefinition;
/** 200 profiles: every other government (97) and the first 103 organisations of a demo plan. */
let invitees: DemoInvitee[];
let generated: { invitee: DemoInvitee; definition: SurveyDefinition; answers: Answers }[];

const answersOf = (invitee: DemoInvitee, seed = 'test') =>
  generateAnswers(invitee.profile.kind === 'government' ? government : civilSociety, invitee.profile, createRandom(`${seed}:answers:${invitee.index}`));

beforeAll(async () => {
  const loaded = await loadDefinitions(path.resolve('survey-definitions'));
  expect(loaded.problems).toEqual([]);
  government = loaded.definitions.find((d) => d.definition.id === 'government-assessment')!.definition;
  civilSociety = loaded.definitions.find((d) => d.definition.id === 'civil-society-survey')!.definition;
  const orgTypes = civilSociety.sections[0]!.questions.flatMap((q) => (q.id === 'cs_org_type' && 'options' in q ? q.options.map((o) => o.code) : []));
  const plan = planDemo({ responses: 200, seed: 'test', windows: { government, civil_society: civilSociety }, orgTypes, openRegistration: true });
  const governments = plan.filter((i) => i.profile.kind === 'government');
  invitees = [...governments.filter((_, i) => i % 2 === 0), ...plan.filter((i) => i.profile.kind === 'civil_society').slice(0, 103)];
  generated = invitees.map((invitee) => ({
    invitee,
    definition: invitee.profile.kind === 'government' ? government : civilSociety,
    answers: answersOf(invitee),
  }));
});

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
/** Numeric points of a matrix row over a group, without "don't know" and the like. */
function rowPoints(group: typeof generated, row: string): number[] {
  return group.flatMap(({ answers }) => {
    const matrix = (answers.g_structure_effectiveness ?? answers.cs_structure_effectiveness) as Record<string, string> | undefined;
    const value = Number(matrix?.[row]);
    return Number.isFinite(value) ? [value] : [];
  });
}
const share = (group: typeof generated, test: (a: Answers) => boolean) => group.filter((g) => test(g.answers)).length / group.length;

describe('generateAnswers on the shipped questionnaires', () => {
  it('uses 200 profiles of both kinds', () => {
    expect(invitees).toHaveLength(200);
    expect(new Set(invitees.map((i) => i.profile.kind))).toEqual(new Set(['government', 'civil_society']));
  });

  it('gives answers that are a valid submission, unchanged by validation', () => {
    for (const { definition: d, answers } of generated) {
      const { answers: stored, problems } = validateAnswers(d, answers, 'submit');
      expect(problems).toEqual([]);
      expect(stored).toEqual(answers);
    }
  });

  it('never answers a question hidden by skip logic', () => {
    let hiddenSeen = 0;
    for (const { definition: d, answers } of generated) {
      const hidden = hiddenQuestions(d, answers);
      hiddenSeen += hidden.size;
      expect(Object.keys(answers).filter((key) => hidden.has(key.split('.')[0]!))).toEqual([]);
    }
    // The skip logic is exercised, not trivially satisfied.
    expect(hiddenSeen).toBeGreaterThan(100);
  });

  it('answers who the respondent is from its profile: country, roles, organisation type', () => {
    const roleOption: Record<string, string> = { steering_group: 'steering_group_member', troika: 'troika_member', assessment_team: 'assessment_team_member' };
    for (const { invitee, answers } of generated) {
      const p: RespondentProfile = invitee.profile;
      if (p.kind === 'government') {
        expect(answers.g_country).toBe(p.country);
        for (const role of p.roles.filter((r) => r in roleOption)) expect(answers.g_roles).toContain(roleOption[role]);
        if (!p.roles.length) expect(answers.g_roles).toEqual(['none']);
        expect(answers.g_contributed === 'yes' || !p.roles.includes('contributor')).toBe(true);
      } else {
        expect(answers.cs_country).toBe(p.country);
        expect(answers.cs_org_type).toBe(p.orgType);
        expect(answers.cs_migrant_led).toBe(p.migrantLed ? 'yes' : 'no');
      }
    }
  });

  it('answers optional questions about 70% of the time and says "don\'t know" on about 8% of scale items', () => {
    const optional = generated.map(({ definition: d, answers }) => {
      const hidden = hiddenQuestions(d, answers);
      const shown = d.sections.flatMap((s) => s.questions).filter((q) => !q.required && !hidden.has(q.id));
      return [shown.filter((q) => answers[q.id] !== undefined).length, shown.length] as const;
    });
    const answeredShare = optional.reduce((s, [a]) => s + a, 0) / optional.reduce((s, [, n]) => s + n, 0);
    expect(answeredShare).toBeGreaterThan(0.6);
    expect(answeredShare).toBeLessThan(0.8);
    const cells = generated.flatMap(({ answers }) =>
      Object.values(answers).flatMap((v) => (typeof v === 'object' && !Array.isArray(v) ? Object.values(v) : [])),
    );
    const dontKnow = cells.filter((c) => ['dk', 'nb', 'na'].includes(c)).length / cells.length;
    expect(dontKnow).toBeGreaterThan(0.05);
    expect(dontKnow).toBeLessThan(0.14);
  });

  it('makes civil society rate the Support Unit lower and want a larger civil-society role', () => {
    const governments = generated.filter((g) => g.invitee.profile.kind === 'government');
    const organisations = generated.filter((g) => g.invitee.profile.kind === 'civil_society');
    expect(mean(rowPoints(governments, 'support_unit')) - mean(rowPoints(organisations, 'support_unit'))).toBeGreaterThan(0.5);
    const larger = (a: Answers) => ['larger_selected_sessions', 'larger_all_sessions'].includes(String(a.g_cs_engagement ?? a.cs_cs_engagement));
    expect(share(organisations, larger) - share(governments, larger)).toBeGreaterThan(0.25);
    const linksTooWeak = (a: Answers) => ((a.g_links_strength ?? a.cs_links_strength) as Record<string, string>).civil_society_ngos === 'too_weak';
    expect(share(organisations, linksTooWeak)).toBeGreaterThan(share(governments, linksTooWeak) + 0.2);
  });

  it('makes Steering Group members rate the structures higher than other governments', () => {
    const governments = generated.filter((g) => g.invitee.profile.kind === 'government');
    const member = governments.filter((g) => g.invitee.profile.roles.includes('steering_group'));
    const others = governments.filter((g) => !g.invitee.profile.roles.includes('steering_group'));
    expect(member.length).toBeGreaterThan(10);
    for (const row of ['steering_group', 'troika', 'chair_in_office']) {
      expect(mean(rowPoints(member, row))).toBeGreaterThan(mean(rowPoints(others, row)) + 0.3);
    }
  });

  it('makes governments in Africa and Asia weigh development more than those in Europe', () => {
    const byRegion = (regions: string[]) => generated.filter((g) => g.invitee.profile.kind === 'government' && regions.includes(g.invitee.profile.region));
    const south = byRegion(['Africa', 'Asia']);
    const europe = byRegion(['Europe']);
    const tooMuchManagement = (a: Answers) => a.g_dev_balance === 'too_focused_on_migration_management';
    expect(share(south, tooMuchManagement)).toBeGreaterThan(share(europe, tooMuchManagement) + 0.15);
    const developmentFirst = (a: Answers) =>
      ['mainstreaming_development_planning', 'diaspora_remittances', 'reducing_need_to_migrate'].includes(String((a.g_priority_topics as string[])[0]));
    expect(share(south, developmentFirst)).toBeGreaterThan(share(europe, developmentFirst));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const sample = invitees.slice(0, 20);
    expect(sample.map((i) => answersOf(i))).toEqual(generated.slice(0, 20).map((g) => g.answers));
    expect(sample.map((i) => answersOf(i, 'other seed'))).not.toEqual(generated.slice(0, 20).map((g) => g.answers));
  });

  it('keeps the first sections of an unfinished response as a valid draft', () => {
    for (const { definition: d, answers } of generated.slice(0, 50)) {
      const partial = answersOfFirstSections(d, answers, 3);
      expect(validateAnswers(d, partial, 'draft').problems).toEqual([]);
      expect(Object.keys(partial).length).toBeLessThan(Object.keys(answers).length);
    }
  });
});

describe('generateAnswers on any definition', () => {
  const edgeCases = definition([
    question('pick', 'multi_choice', {
      required: true,
      min_selections: 2,
      max_selections: 3,
      options: [option('a'), option('b'), option('c'), option('d'), option('e', { specify: true }), option('nothing', { exclusive: true })],
    }),
    question('order', 'ranking', { required: true, min_ranked: 2, max_ranked: 3, options: [option('x'), option('y'), option('z'), option('w')] }),
    question('share', 'numeric', { required: true, min: 0.5, max: 2.5 }),
    question('count', 'numeric', { min: 3, integer: true }),
    question('grid', 'matrix', { show_if: 'not "nothing" in pick' }),
    question('sure', 'yes_no', { required: true, dont_know: true }),
    question('why', 'short_text', { required: true, max_length: 12, show_if: 'sure == yes' }),
    question('where', 'country', { required: true, countries: 'all' }),
    question('colour', 'single_choice', { required: true, options: [{ from: 'colours' }] }),
  ]);
  const profile: RespondentProfile = {
    kind: 'civil_society',
    country: 'XKX',
    region: 'Europe',
    subregion: 'Southern Europe',
    roles: [],
    orgType: null,
    migrantLed: false,
    language: 'fr',
  };

  it('meets minimums, maximums, ranges and lengths for 300 respondents', () => {
    for (let i = 0; i < 300; i++) {
      const answers = generateValidAnswers(edgeCases, profile, createRandom(`edge:${i}`));
      const picked = answers.pick as string[];
      if (picked.includes('nothing')) expect(picked).toEqual(['nothing']);
      else expect(picked.length >= 2 && picked.length <= 3).toBe(true);
      if (picked.includes('e')) expect(answers['pick.other']).toEqual(expect.any(String));
      expect((answers.share as number) >= 0.5 && (answers.share as number) <= 2.5).toBe(true);
      if (answers.count !== undefined) expect(Number.isInteger(answers.count) && (answers.count as number) >= 3).toBe(true);
      if (answers.why !== undefined) expect([...(answers.why as string)].length).toBeLessThanOrEqual(12);
    }
  });

  it('fails loudly when the answers would not be a valid submission', () => {
    // No whole number lies between 1.2 and 1.8: the generator's answer cannot be valid.
    const impossible = definition([question('n', 'numeric', { required: true, integer: true, min: 1.2, max: 1.8 })]);
    expect(() => generateValidAnswers(impossible, profile, createRandom('x'))).toThrow(InvalidDemoAnswersError);
  });
});

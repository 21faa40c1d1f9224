import { describe, expect, it } from 'vitest';
import { planPhaseOpen, type EarlierRespondent, type PresentRespondent } from '../../../server/respondents/phase-plan.ts';

let nextId = 1;
function earlier(extra: Partial<EarlierRespondent>): EarlierRespondent {
  const name = extra.name ?? 'Kenya';
  return {
    id: nextId++,
    kind: 'government',
    name,
    nameKey: name.toLowerCase().replace(/[^a-z]/g, ''),
    country: 'KEN',
    region: 'Africa',
    subregion: 'Eastern Africa',
    roles: [],
    orgType: null,
    email: null,
    language: 'en',
    source: 'invitation',
    duplicateOf: null,
    hasWorkingLink: true,
    ...extra,
  };
}

function present(extra: Partial<PresentRespondent>): PresentRespondent {
  return { id: 100 + nextId++, kind: 'government', nameKey: 'kenya', country: 'KEN', email: null, previousRespondentId: null, ...extra };
}

/** The plan as `[name, action, reason or linked id]`. */
function plan(earlierOnes: EarlierRespondent[], presentOnes: PresentRespondent[], audience = ['government', 'civil_society'] as const) {
  return planPhaseOpen(earlierOnes, presentOnes, [...audience]).map((s) => [
    s.earlier.name,
    s.action,
    s.action === 'leave_out' ? `${s.reason}${s.detail ? `: ${s.detail}` : ''}` : s.action === 'carry' ? undefined : s.presentId,
  ]);
}

describe('planPhaseOpen', () => {
  it('carries a respondent with a working link whose kind the new questionnaire asks', () => {
    expect(plan([earlier({})], [])).toEqual([['Kenya', 'carry', undefined]]);
  });

  it.each<[string, Partial<EarlierRespondent>, string]>([
    ['every link revoked', { hasWorkingLink: false }, 'revoked'],
    ['a kind outside the audience', { kind: 'international_org', name: 'IOM', country: null }, 'not_in_audience'],
    ['registered itself without an e-mail address', { kind: 'civil_society', name: 'Quiet', source: 'open_registration' }, 'no_email'],
    [
      'a repeated registration',
      { kind: 'civil_society', name: 'Twice', source: 'open_registration', email: 'x@example.org', duplicateOf: 7 },
      'repeated_registration: repeats the registration of respondent 7',
    ],
  ])('leaves out %s', (_name, extra, reason) => {
    const e = earlier(extra);
    expect(plan([e], [])).toEqual([[e.name, 'leave_out', reason]]);
  });

  it('carries an organisation that registered itself with an e-mail address', () => {
    expect(plan([earlier({ kind: 'civil_society', name: 'Aid', source: 'open_registration', email: 'aid@example.org' })], [])).toEqual([
      ['Aid', 'carry', undefined],
    ]);
  });

  it('links the government of the same country, already invited, instead of adding a second one', () => {
    const p = present({ nameKey: 'republicofkenya' });
    expect(plan([earlier({})], [p])).toEqual([['Kenya', 'link', p.id]]);
  });

  it('links an organisation by its e-mail address in any case, or by its folded name and country', () => {
    const byEmail = present({ kind: 'civil_society', nameKey: 'othername', email: 'VOICES@example.org' });
    const byName = present({ kind: 'civil_society', nameKey: 'diasporanetwork', country: 'FRA' });
    const voices = earlier({ kind: 'civil_society', name: 'Voices', email: 'voices@example.org' });
    const diaspora = earlier({ kind: 'civil_society', name: 'Diaspora Network', country: 'FRA' });
    const elsewhere = earlier({ kind: 'civil_society', name: 'Diaspora Network', country: 'ITA' });
    expect(plan([voices, diaspora, elsewhere], [byEmail, byName])).toEqual([
      ['Voices', 'link', byEmail.id],
      ['Diaspora Network', 'link', byName.id],
      ['Diaspora Network', 'carry', undefined],
    ]);
  });

  it('finds those carried by an earlier run, even when their earlier link was revoked since', () => {
    const e = earlier({});
    const carried = present({ previousRespondentId: e.id });
    expect(plan([e], [carried])).toEqual([['Kenya', 'already_carried', carried.id]]);
    expect(plan([{ ...e, hasWorkingLink: false }], [carried])).toEqual([['Kenya', 'already_carried', carried.id]]);
  });

  it('does not link a respondent whose links were revoked to the same government invited directly', () => {
    expect(plan([earlier({ hasWorkingLink: false })], [present({})])).toEqual([['Kenya', 'leave_out', 'revoked']]);
  });

  it.each<[string, () => [EarlierRespondent[], PresentRespondent[]], string]>([
    [
      'the same government already linked to another respondent',
      () => [[earlier({})], [present({ id: 500, previousRespondentId: 999 })]],
      'conflict: respondent 500 of the new questionnaire is the same government but is already linked to respondent 999',
    ],
    [
      'an e-mail address that belongs to someone else there',
      () => [[earlier({ kind: 'civil_society', name: 'Aid', email: 'desk@example.org' })], [present({ id: 501, email: 'desk@example.org' })]],
      'conflict: its e-mail address belongs to respondent 501 of the new questionnaire',
    ],
    [
      'two organisations it could be',
      () => [
        [earlier({ kind: 'civil_society', name: 'Aid', email: 'aid@example.org' })],
        [present({ id: 502, kind: 'civil_society', nameKey: 'other', email: 'aid@example.org' }), present({ id: 503, kind: 'civil_society', nameKey: 'aid' })],
      ],
      'conflict: matches 2 respondents of the new questionnaire (502, 503)',
    ],
  ])('leaves out as a conflict %s', (_name, make, reason) => {
    const [earlierOnes, presentOnes] = make();
    expect(plan(earlierOnes, presentOnes)).toEqual([[earlierOnes[0]!.name, 'leave_out', reason]]);
  });

  it('never carries two earlier respondents onto one: the second one with the same e-mail address is a conflict', () => {
    const first = earlier({ kind: 'civil_society', name: 'Aid', email: 'aid@example.org' });
    const second = earlier({ kind: 'civil_society', name: 'Aid International', email: 'aid@example.org' });
    expect(plan([first, second], [])).toEqual([
      ['Aid', 'carry', undefined],
      ['Aid International', 'leave_out', `conflict: is the same organisation as respondent ${first.id} of the earlier questionnaire, carried by this run`],
    ]);
  });
});

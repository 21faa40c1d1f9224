import { describe, expect, it } from 'vitest';
import { COUNTRIES } from '../../../survey-definitions/countries.ts';
import type { RespondentKind } from '../../../survey-definitions/schema.ts';
import { MAX_INVITEE_ROWS, parseInviteeCsv, type RowError } from '../../../server/respondents/invitee-csv.ts';

const ALL: RespondentKind[] = ['government', 'civil_society', 'international_org'];
const HEADER = 'name,kind,country,roles,org_type,email';

function errorsOf(text: string, audience: RespondentKind[] = ALL): RowError[] {
  const result = parseInviteeCsv(text, audience);
  if (result.ok) throw new Error(`expected errors, got ${result.rows.length} rows`);
  return result.errors;
}

describe('parseInviteeCsv', () => {
  it('invites the observer states as governments, and refuses a territory that is not a state', () => {
    const result = parseInviteeCsv(`${HEADER}\nPalestine,government,PS,,,\nHoly See,government,VA,,,\n`, ALL);
    expect(result.ok ? result.rows.map((r) => r.country) : result.errors).toEqual(['PSE', 'VAT']);
    expect(errorsOf(`${HEADER}\nGreenland,government,GL,,,\n`)).toEqual([
      { line: 2, column: 'country', message: expect.stringContaining('GRL (Greenland) is not a UN member or observer state') },
    ]);
    // An organisation may work from anywhere.
    expect(parseInviteeCsv(`${HEADER}\nInuit Circumpolar Council,civil_society,GL,,ngo,\n`, ALL).ok).toBe(true);
  });

  it('reads rows with their line, the alpha-3 country, its region and the roles', () => {
    const text = [
      HEADER,
      'Kenya,government,KE,steering_group; troika,,focal.point@kenya.go.ke',
      'Migrant Voices,civil_society,fra,,migrant_association,',
      'IOM,international_org,,pfp_partner;pfp_partner,,',
    ].join('\n');
    const result = parseInviteeCsv(text, ALL);
    expect(result).toEqual({
      ok: true,
      columns: ['name', 'kind', 'country', 'roles', 'org_type', 'email'],
      rows: [
        {
          line: 2,
          name: 'Kenya',
          kind: 'government',
          country: 'KEN',
          region: 'Africa',
          subregion: 'Eastern Africa',
          roles: ['steering_group', 'troika'],
          orgType: null,
          email: 'focal.point@kenya.go.ke',
          language: 'en',
        },
        {
          line: 3,
          name: 'Migrant Voices',
          kind: 'civil_society',
          country: 'FRA',
          region: 'Europe',
          subregion: 'Western Europe',
          roles: [],
          orgType: 'migrant_association',
          email: null,
          language: 'en',
        },
        {
          line: 4,
          name: 'IOM',
          kind: 'international_org',
          country: null,
          region: null,
          subregion: null,
          roles: ['pfp_partner'],
          orgType: null,
          email: null,
          language: 'en',
        },
      ],
    });
  });

  it('reads the optional language of each invitee, en when empty, and refuses another', () => {
    const result = parseInviteeCsv('name,kind,country,language\nSenegal,government,SN,FR\nMexico,government,MX,es\nKenya,government,KE,\n', ['government']);
    expect(result.ok && result.rows.map((r) => r.language)).toEqual(['fr', 'es', 'en']);
    expect(errorsOf('name,kind,country,language\nGermany,government,DE,de\n')).toEqual([
      { line: 2, column: 'language', message: expect.stringContaining("unknown language 'de'") },
    ]);
  });

  it('parses 190 governments built from the UN member list', () => {
    const members = COUNTRIES.filter((c) => c.unMember).slice(0, 190);
    expect(members).toHaveLength(190);
    const text = ['name,kind,country,email', ...members.map((c, i) => `"${c.names.en}",government,${i % 2 ? c.alpha2 : c.code},focal${i}@example.org`)].join(
      '\r\n',
    );
    const result = parseInviteeCsv(text, ['government']);
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.rows).toHaveLength(190);
    expect(result.rows.map((r) => r.country)).toEqual(members.map((c) => c.code));
    expect(result.rows.at(-1)?.line).toBe(191);
    expect(result.rows.every((r) => r.region && r.subregion)).toBe(true);
  });

  it('ignores a UTF-8 byte order mark and accepts header names in any case and order', () => {
    const result = parseInviteeCsv('\uFEFFKind,Name,Country\r\ngovernment,Côte d’Ivoire,CIV\r\n', ['government']);
    expect(result.ok && result.rows[0]).toMatchObject({ line: 2, name: 'Côte d’Ivoire', country: 'CIV' });
  });

  it('reads quoted fields with commas and line breaks, and numbers later rows by file line', () => {
    const text = `${HEADER}\n"Ministry of Foreign Affairs, Kenya",government,KEN,,,\n\n"Forum of\nMigrant, Workers",civil_society,,,"ngo, network",\n,government,XX,,,\n`;
    const result = parseInviteeCsv(text, ALL);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Row 1 at line 2, a blank line 3, a two-line row at lines 4-5, the bad row at line 6.
    expect(result.errors).toEqual([
      { line: 6, column: 'name', message: 'is empty' },
      { line: 6, column: 'country', message: expect.stringContaining("unknown country 'XX'") },
    ]);
    const good = parseInviteeCsv(text.split('\n').slice(0, 5).join('\n'), ALL);
    expect(good.ok && good.rows.map((r) => [r.line, r.name, r.orgType])).toEqual([
      [2, 'Ministry of Foreign Affairs, Kenya', null],
      [4, 'Forum of\nMigrant, Workers', 'ngo, network'],
    ]);
  });

  const long = 'x'.repeat(301);
  const cases: { name: string; text: string; audience?: RespondentKind[]; errors: RowError[] }[] = [
    { name: 'missing name column', text: 'kind,country\ngovernment,KEN', errors: [{ line: 1, column: 'name', message: "missing column 'name'" }] },
    { name: 'missing kind column', text: 'name,country\nKenya,KEN', errors: [{ line: 1, column: 'kind', message: "missing column 'kind'" }] },
    {
      name: 'missing country column when governments are invited',
      text: 'name,kind\nKenya,government',
      audience: ['government'],
      errors: [{ line: 1, column: 'country', message: "missing column 'country' (governments need a country)" }],
    },
    {
      name: 'unknown column',
      text: 'name,kind,country,phone\nKenya,government,KEN,123',
      errors: [{ line: 1, column: 'phone', message: expect.stringContaining("unknown column 'phone'") }],
    },
    {
      name: 'duplicate column',
      text: 'name,kind,country,name\nKenya,government,KEN,K',
      errors: [{ line: 1, column: 'name', message: "column 'name' appears twice" }],
    },
    { name: 'empty name', text: `${HEADER}\n  ,government,KEN,,,`, errors: [{ line: 2, column: 'name', message: 'is empty' }] },
    {
      name: 'unknown kind',
      text: `${HEADER}\nKenya,state,KEN,,,`,
      errors: [{ line: 2, column: 'kind', message: expect.stringContaining("unknown kind 'state'") }],
    },
    { name: 'empty kind', text: `${HEADER}\nKenya,,KEN,,,`, errors: [{ line: 2, column: 'kind', message: expect.stringContaining('is empty') }] },
    {
      name: 'kind outside the audience',
      text: `${HEADER}\nKenya,government,KEN,,,\nVoices,civil_society,,,ngo,`,
      audience: ['government', 'international_org'],
      errors: [{ line: 3, column: 'kind', message: 'this questionnaire is for government, international_org, not civil_society' }],
    },
    {
      name: 'unknown country',
      text: `${HEADER}\nAtlantis,government,ATL,,,`,
      errors: [{ line: 2, column: 'country', message: expect.stringContaining("unknown country 'ATL'") }],
    },
    {
      name: 'government without country',
      text: `${HEADER}\nKenya,government,,,,`,
      errors: [{ line: 2, column: 'country', message: expect.stringContaining('a government needs a country') }],
    },
    {
      name: 'unknown role',
      text: `${HEADER}\nKenya,government,KEN,troika;chair,,`,
      errors: [{ line: 2, column: 'roles', message: expect.stringContaining("unknown role 'chair'") }],
    },
    {
      name: 'malformed email',
      text: `${HEADER}\nKenya,government,KEN,,,focal.point@kenya`,
      errors: [{ line: 2, column: 'email', message: "'focal.point@kenya' is not an email address" }],
    },
    {
      name: 'duplicate government country, alpha-2 and alpha-3',
      text: `${HEADER}\nKenya,government,KE,,,\nVoices,civil_society,KEN,,ngo,\nKenya MFA,government,KEN,,,`,
      errors: [{ line: 4, column: 'country', message: 'KEN (Kenya) is already invited as a government on line 2' }],
    },
    {
      name: 'duplicate email in another case',
      text: `${HEADER}\nKenya,government,KEN,,,a@b.org\nIOM,international_org,,,,A@B.org`,
      errors: [{ line: 3, column: 'email', message: 'A@B.org is already on line 2' }],
    },
    {
      name: 'field longer than 300 characters',
      text: `${HEADER}\nKenya,government,KEN,,${long},`,
      errors: [{ line: 2, column: 'org_type', message: 'is 301 characters long; at most 300 are allowed' }],
    },
    {
      name: 'too many values',
      text: `${HEADER}\nMinistry, Kenya,government,KEN,,,`,
      errors: [{ line: 2, message: expect.stringContaining('has 7 values but the header has 6 columns') }],
    },
    {
      name: 'unclosed quote',
      text: `${HEADER}\nKenya,government,KEN,,,\n"Voices,civil_society,,,ngo,`,
      errors: [{ line: 3, message: expect.stringContaining('quoted value') }],
    },
    {
      name: 'semicolons between values',
      text: 'name;kind;country\nKenya;government;KEN',
      errors: [{ line: 1, message: expect.stringContaining('separated by semicolons') }],
    },
    {
      name: 'unclosed quote in the header',
      text: `name,"kind,country\nKenya,government,KEN`,
      errors: [{ line: 1, message: expect.stringContaining('quoted value') }],
    },
    { name: 'empty file', text: '', errors: [{ line: 1, message: expect.stringContaining('the file is empty') }] },
    { name: 'header only', text: `\uFEFF${HEADER}\r\n\r\n`, errors: [{ line: 2, message: 'the file has a header but no invitees' }] },
  ];
  it.each(cases)('reports $name with its line', ({ text, audience, errors }) => {
    expect(errorsOf(text, audience)).toEqual(errors);
  });

  it('reports every bad row of a file, sorted by line', () => {
    const text = `${HEADER}\nKenya,government,KEN,,,\n,government,KEN,,,x\nIOM,international_org,,bogus,,\n`;
    expect(errorsOf(text).map((e) => [e.line, e.column])).toEqual([
      [3, 'name'],
      [3, 'country'],
      [3, 'email'],
      [4, 'roles'],
    ]);
  });

  it(`refuses more than ${MAX_INVITEE_ROWS} rows`, () => {
    const rows = Array.from({ length: MAX_INVITEE_ROWS + 1 }, (_, i) => `Org ${i},international_org,,,,`);
    expect(errorsOf([HEADER, ...rows].join('\n'))).toEqual([{ line: MAX_INVITEE_ROWS + 2, message: expect.stringContaining('too many rows') }]);
    const atLimit = parseInviteeCsv([HEADER, ...rows.slice(0, MAX_INVITEE_ROWS)].join('\n'), ALL);
    expect(atLimit.ok && atLimit.rows.length).toBe(MAX_INVITEE_ROWS);
  });
});

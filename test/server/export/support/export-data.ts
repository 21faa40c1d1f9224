/**
 * An adversarial data set for the export bundle, stored through the real paths: invitees imported
 * from a CSV file (so every respondent has a name, an e-mail and a working token), answers saved
 * and submitted by the respondent's own service, free text approved by an analyst, one response
 * excluded and one never submitted.
 *
 * analysis-gov: 56 governments (20 Africa, 11 Americas, 12 Asia, 12 Europe, Fiji alone in Oceania;
 * Germany in the Troika; every European government answers g_chair = permanent) and 6
 * international organisations (no country). Kenya's response is excluded and Senegal's never
 * submitted, so 60 responses are exported. analysis-cs: 20 civil society organisations, the only
 * trade union being in Asia.
 *
 * @example
 *   const handle = await createTestDatabase();
 *   const data = await seedExportData(handle.db);
 */
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import { expect } from 'vitest';
import type { Answers } from '../../../../survey-definitions/answers.ts';
import { findCountry } from '../../../../survey-definitions/countries.ts';
import { addUser } from '../../../../server/accounts/account-service.ts';
import type { Database } from '../../../../server/db/schema.ts';
import { approveText } from '../../../../server/free-text/text-approvals.queries.ts';
import { importInvitees } from '../../../../server/respondents/import-invitees.ts';
import { saveAnswers, submitResponse } from '../../../../server/responses/response-service.ts';
import { insertExclusion } from '../../../../server/tracker/exclusions.queries.ts';
import { ANALYSIS_NOW, publishAnalysisSurveys } from '../../support/analysis-data.ts';

export interface SeededRespondent {
  surveyId: 'analysis-gov' | 'analysis-cs';
  name: string;
  email: string;
  kind: 'government' | 'civil_society' | 'international_org';
  /** ISO 3166-1 alpha-3, or null. */
  country: string | null;
  region: string;
  roles: string[];
  orgType: string;
  answers: Answers;
  status: 'submitted' | 'in_progress' | 'excluded';
  /** Free text approved as published (question id -> published text). */
  approved: Record<string, string>;
  token: string;
  responseId: number;
}

export const GOVERNMENT_COUNTRIES: Record<string, string[]> = {
  Africa: ['DZA', 'AGO', 'BWA', 'CMR', 'EGY', 'ETH', 'GHA', 'KEN', 'MWI', 'MOZ', 'NAM', 'NGA', 'RWA', 'SEN', 'TZA', 'UGA', 'ZMB', 'ZWE', 'MDG', 'MUS'],
  Americas: ['ARG', 'BRA', 'CHL', 'COL', 'ECU', 'GTM', 'JAM', 'MEX', 'URY', 'PRY', 'HND'],
  Asia: ['BGD', 'KHM', 'IDN', 'JPN', 'KAZ', 'KGZ', 'NPL', 'PAK', 'PHL', 'LKA', 'THA', 'VNM'],
  Europe: ['AUT', 'BEL', 'HRV', 'DNK', 'EST', 'FIN', 'DEU', 'IRL', 'NLD', 'PRT', 'SWE', 'CHE'],
  Oceania: ['FJI'],
};

/** Published texts that a spreadsheet would run, each approved for one government (by country). */
export const FORMULA_TEXTS: Record<string, string> = {
  GHA: '=HYPERLINK("http://evil.example/x","click")',
  BRA: '+1 more meeting per year',
  JPN: '-2 fewer side events',
  AUT: '@SUM(A1:A9)',
  ETH: '\tindented, with a tab',
  PAK: '\rstarts with a carriage return',
  NGA: 'Quotes "inside", a comma\r\nand a line break',
};

/** A name no bundle file may hold: it is only in the answers and the invitee list. */
const surname = (i: number) => `Thistlewood${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;

function governmentAnswers(i: number, region: string): Answers {
  const attended = (['yes', 'yes', 'no', 'dk'] as const)[i % 4]!;
  return {
    g_attended: attended,
    ...(attended === 'yes' ? { g_meetings: [['m2008'], ['m2009', 'm2010'], ['m2010']][i % 3]! } : {}),
    g_chair: region === 'Europe' ? 'permanent' : ['rotating', 'permanent', 'rotating', 'dk', 'rotating'][i % 5]!,
    ...(i % 7 === 6 ? {} : { g_support: i % 6 === 5 ? 'dk' : String(1 + ((i * 3) % 5)) }),
    g_bodies: { troika: String(1 + (i % 5)), ...(i % 3 ? { steering_group: String(1 + ((i + 2) % 5)) } : { steering_group: 'dk' }) },
    // Unique per respondent: how a test finds a response in the row file.
    g_staff: 100 + i,
    g_priorities: i % 2 ? ['labour', 'remittances'] : ['diaspora'],
  };
}

/** A respondent before it is stored. */
export type PlannedRespondent = Omit<SeededRespondent, 'token' | 'responseId'>;

/** The respondents of both questionnaires, before any is stored. */
export function plannedRespondents(): PlannedRespondent[] {
  const planned: PlannedRespondent[] = [];
  let i = 0;
  for (const [region, codes] of Object.entries(GOVERNMENT_COUNTRIES)) {
    for (const code of codes) {
      const answers = governmentAnswers(i, region);
      const approved: Record<string, string> = {};
      const formula = FORMULA_TEXTS[code];
      if (formula !== undefined) {
        answers.g_comment = `${surname(i)} asked us to write: ${formula}`;
        approved.g_comment = formula;
      } else if (i % 9 === 0) {
        answers.g_comment = `Unapproved remark by ${surname(i)} about ${findCountry(code)!.names.en}`;
      }
      planned.push({
        surveyId: 'analysis-gov',
        name: `Orla ${surname(i)}`,
        email: `orla.${surname(i).toLowerCase()}@mfa.example.org`,
        kind: 'government',
        country: code,
        region,
        roles: code === 'DEU' ? ['troika'] : code === 'MEX' ? ['roundtable_cochair'] : [],
        orgType: '',
        answers,
        status: code === 'KEN' ? 'excluded' : code === 'SEN' ? 'in_progress' : 'submitted',
        approved,
      });
      i += 1;
    }
  }
  for (let n = 0; n < 6; n++, i++) {
    planned.push({
      surveyId: 'analysis-gov',
      name: `Quorvane Institute ${surname(i)}`,
      email: `desk.${surname(i).toLowerCase()}@io.example.org`,
      kind: 'international_org',
      country: null,
      region: 'unknown',
      roles: [],
      orgType: '',
      answers: governmentAnswers(i, 'unknown'),
      status: 'submitted',
      approved: {},
    });
  }
  const cso: [string, string, number][] = [
    ['KEN', 'ngo_human_rights', 3],
    ['GHA', 'migrant_association', 3],
    ['DEU', 'diaspora_organisation', 3],
    ['FRA', 'ngo_human_rights', 3],
    ['PHL', 'migrant_association', 4],
    ['IDN', 'trade_union', 1],
    ['MEX', 'faith_based', 3],
  ];
  for (const [code, orgType, count] of cso) {
    for (let n = 0; n < count; n++, i++) {
      planned.push({
        surveyId: 'analysis-cs',
        name: `Vesperine Collective ${surname(i)}`,
        email: `info.${surname(i).toLowerCase()}@cso.example.org`,
        kind: 'civil_society',
        country: code,
        region: findCountry(code)!.region,
        roles: n === 0 ? ['contributor'] : [],
        orgType,
        answers: {
          c_chair: ['rotating', 'permanent', 'dk'][i % 3]!,
          c_support: String(1 + (i % 5)),
          c_bodies: { troika: String(1 + (i % 5)), civil_society_days: '5' },
          ...(orgType === 'trade_union' ? { c_comment: '=cmd|" /C calc"!A0' } : {}),
        },
        status: 'submitted',
        approved: orgType === 'trade_union' ? { c_comment: '=cmd|" /C calc"!A0' } : {},
      });
    }
  }
  return planned;
}

/** Stores the data set through the real services; returns every respondent with its token and response id. */
export async function seedExportData(db: Kysely<Database>): Promise<SeededRespondent[]> {
  await publishAnalysisSurveys(db);
  return storeRespondents(db, plannedRespondents());
}

/**
 * Imports the respondents as invitees, saves and submits (or excludes) their answers and approves
 * their free text, as an analyst `analyst@secretariat.example.org` (created here).
 */
export async function storeRespondents(db: Kysely<Database>, planned: readonly PlannedRespondent[]): Promise<SeededRespondent[]> {
  const tokens = new Map<string, string>();
  for (const surveyId of ['analysis-gov', 'analysis-cs'] as const) {
    const rows = planned.filter((r) => r.surveyId === surveyId);
    if (!rows.length) continue;
    const csvText = Papa.unparse({
      fields: ['name', 'kind', 'country', 'roles', 'org_type', 'email'],
      data: rows.map((r) => [r.name, r.kind, r.country ?? '', r.roles.join(';'), r.orgType, r.email]),
    });
    const result = await importInvitees(db, { surveyId, csvText, publicUrl: 'https://assess.example.org', actor: 'test' });
    if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.errors)}`);
    for (const row of result.rows) tokens.set(row.name, row.link.split('/r/')[1]!);
  }
  const user = await analyst(db);
  const ids = new Map((await db.selectFrom('respondent').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
  const seeded: SeededRespondent[] = [];
  for (const r of planned) {
    const respondentId = ids.get(r.name)!;
    const saved = await saveAnswers(db, { respondentId, baseRevision: 0, answers: r.answers, scope: 'all', language: 'en', now: ANALYSIS_NOW });
    if (r.status !== 'in_progress') await submitResponse(db, { respondentId, now: ANALYSIS_NOW });
    const { id: responseId } = await db.selectFrom('response').select('id').where('respondent_id', '=', respondentId).executeTakeFirstOrThrow();
    if (r.status === 'excluded') await db.transaction().execute((trx) => insertExclusion(trx, responseId, 'duplicate', user.id, ANALYSIS_NOW));
    for (const [questionId, publishedText] of Object.entries(r.approved)) {
      await approveText(db, { responseId, questionId, answerText: String(saved.answers[questionId]), publishedText, userId: user.id });
    }
    seeded.push({ ...r, answers: saved.answers, token: tokens.get(r.name)!, responseId });
  }
  expect(tokens.size).toBe(planned.length);
  return seeded;
}

/** The analyst who approves texts (created on first use). */
export async function analyst(db: Kysely<Database>): Promise<{ id: number }> {
  const email = 'analyst@secretariat.example.org';
  const existing = await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
  return existing ?? (await addUser(db, { email, role: 'analyst', actor: 'test' }, ANALYSIS_NOW)).user;
}

/** The respondents whose responses an export covers (submitted, not excluded). */
export const exported = (data: readonly SeededRespondent[], surveyId: string) => data.filter((r) => r.surveyId === surveyId && r.status === 'submitted');

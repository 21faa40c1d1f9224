/**
 * The files of the export bundle as a reader receives them: no identity in any byte, fresh
 * identifiers and order in every export (unless reproduced from a seed), checksums and counts in
 * the manifest that match, spreadsheet-safe RFC 4180 CSV, and one audit entry per export.
 */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCountry } from '../../../survey-definitions/countries.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { BUNDLE_FILES, bundleFileNames, exportBundle, SPSS_COPY, parseRfc4180, removeBundles, type Bundle } from './support/bundle.ts';
import { exported, FORMULA_TEXTS, seedExportData, type SeededRespondent } from './support/export-data.ts';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const CSV_FILES = ['responses-restricted.csv', 'codebook-restricted.csv', 'tables-restricted.csv'] as const;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe(`export bundle files (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  let data: SeededRespondent[];
  /** One export per questionnaire and k: regions published at k = 3, generalised at k = 5. */
  let bundles: Bundle[];

  beforeAll(async () => {
    handle = await createTestDatabase();
    data = await seedExportData(handle.db);
    bundles = [];
    for (const surveyId of ['analysis-gov', 'analysis-cs']) for (const k of [3, 5]) bundles.push(await exportBundle(handle.db, { surveyId, k }));
  }, 120_000);
  afterAll(async () => {
    removeBundles();
    await handle?.close();
  });

  it('no file holds a name, e-mail, token, token hash, government country, unapproved text, exact time or IP address', () => {
    const needles = data.flatMap((r) => [
      r.name,
      r.email,
      r.token,
      sha256(r.token),
      ...(r.approved.g_comment || r.approved.c_comment ? [] : Object.values(r.answers).filter((v): v is string => typeof v === 'string' && v.length > 20)),
    ]);
    needles.push('Thistlewood');
    const countryPatterns = data
      .filter((r) => r.kind === 'government')
      .flatMap((r) => [r.country!, findCountry(r.country!)!.names.en])
      .map((word) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'u'));
    const patterns = [...countryPatterns, /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/, /\b\d{2}:\d{2}:\d{2}\b/, /\b\d{1,3}(\.\d{1,3}){3}\b/];
    const leaks: string[] = [];
    for (const bundle of bundles) {
      expect(bundleFileNames(bundle.raw.keys())).toEqual([...BUNDLE_FILES]);
      // labels.sps reads a copy without line breaks exactly when an answer has one.
      const lineBreak = bundle.csv('responses-restricted.csv').rows.some((row) => Object.values(row).some((cell) => /[\r\n]/.test(cell)));
      expect(bundle.raw.has(SPSS_COPY), bundle.manifest.survey.id).toBe(lineBreak);
      // A workbook is read as its parts (compressed bytes would match by chance); docProps/core.xml
      // holds the workbook's date, the data's day at noon, not a time of any response.
      const texts = [...bundle.raw].flatMap(([file, bytes]) =>
        file.endsWith('.xlsx')
          ? Object.entries(unzipSync(new Uint8Array(bytes)))
              .filter(([part]) => part !== 'docProps/core.xml')
              .map(([part, data]) => [`${file}/${part}`, strFromU8(data)] as const)
          : [[file, bytes.toString('utf8')] as const],
      );
      for (const [file, text] of texts) {
        for (const needle of needles)
          if (text.includes(needle)) leaks.push(`${bundle.manifest.survey.id} k=${bundle.manifest.parameters.k} ${file}: ${needle}`);
        for (const pattern of patterns) {
          const found = pattern.exec(text);
          if (found) leaks.push(`${bundle.manifest.survey.id} k=${bundle.manifest.parameters.k} ${file}: ${found[0]}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('responses-restricted.csv has no internal id, name, e-mail or country column, and its identifiers are not response ids', () => {
    for (const bundle of bundles) {
      const { header, rows } = bundle.csv('responses-restricted.csv');
      expect(header.filter((h) => /(^|_)(id|name|email|e-mail|country|token|ip|submitted|time|date)(_|$)/i.test(h))).toEqual([]);
      const identifiers = rows.map((r) => r.response!);
      expect(new Set(identifiers).size).toBe(identifiers.length);
      const internal = new Set(data.flatMap((r) => [String(r.responseId)]));
      expect(identifiers.filter((id) => internal.has(id) || /^\d+$/.test(id))).toEqual([]);
    }
  });

  it('two exports share no identifier and order the rows differently; no seed is recorded', async () => {
    const first = await exportBundle(handle.db, { surveyId: 'analysis-gov' });
    const second = await exportBundle(handle.db, { surveyId: 'analysis-gov' });
    const [a, b] = [first.csv('responses-restricted.csv').rows, second.csv('responses-restricted.csv').rows];
    expect(a).toHaveLength(b.length);
    const firstIds = new Set(a.map((r) => r.response));
    expect(b.filter((r) => firstIds.has(r.response))).toEqual([]);
    // g_staff is unique per respondent in the data set: the order of responses in each file.
    const order = (rows: typeof a) => rows.map((r) => r.g_staff).join(' ');
    expect(order(a)).not.toBe(order(b));
    expect(new Set(a.map((r) => r.g_staff)).size).toBe(a.length);
    for (const bundle of [first, second]) {
      expect(bundle.manifest.parameters.reproducible).toBe(false);
      expect(bundle.manifest.parameters).not.toHaveProperty('seed');
    }
  });

  it('a reproducible export run again with its seed gives byte-identical files', async () => {
    const first = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 3, reproducible: true });
    const seed = first.manifest.parameters.seed;
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    const again = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 3, seed: seed! });
    expect([...again.raw.keys()].sort()).toEqual([...first.raw.keys()].sort());
    for (const [name, bytes] of first.raw) expect(again.raw.get(name)!.equals(bytes), name).toBe(true);
    // A fresh random export of the same data is not the same file.
    const fresh = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 3 });
    expect(fresh.raw.get('responses-restricted.csv')!.equals(first.raw.get('responses-restricted.csv')!)).toBe(false);
  });

  it('the manifest gives the right SHA-256, size and row count of every other file, and the response counts', () => {
    for (const bundle of bundles) {
      const { manifest } = bundle;
      expect(manifest).toEqual(JSON.parse(JSON.stringify(bundle.returned)));
      expect(bundleFileNames(manifest.files.map((f) => f.name))).toEqual(BUNDLE_FILES.filter((f) => f !== 'manifest.json'));
      for (const file of manifest.files) {
        const bytes = bundle.raw.get(file.name)!;
        expect(file.sha256, file.name).toBe(sha256(bytes));
        expect(file.bytes, file.name).toBe(bytes.length);
        if (file.name.endsWith('.csv')) expect(file.rows, file.name).toBe(bundle.csv(file.name as (typeof CSV_FILES)[number]).rows.length);
      }
      const expected = exported(data, manifest.survey.id).length;
      expect(manifest.rows.published).toBe(expected);
      expect(bundle.csv('responses-restricted.csv').rows).toHaveLength(expected);
      expect(manifest.rows.quasi_identifiers_suppressed).toBe(bundle.csv('responses-restricted.csv').rows.filter((r) => r.kind === '.s').length);
    }
  });

  it('CSV files start with a byte order mark, follow RFC 4180 with CRLF, and parse to the same cells as papaparse', () => {
    for (const bundle of bundles) {
      for (const name of CSV_FILES) {
        const bytes = bundle.raw.get(name)!;
        expect([...bytes.subarray(0, 3)], name).toEqual([0xef, 0xbb, 0xbf]);
        const text = bytes.toString('utf8').slice(1);
        expect(text.endsWith('\r\n'), name).toBe(true);
        const records = parseRfc4180(text);
        const { header, rows } = bundle.csv(name);
        expect(records[0]).toEqual(header);
        expect(records.slice(1)).toEqual(rows.map((row) => header.map((h) => row[h])));
        for (const record of records) expect(record, name).toHaveLength(header.length);
      }
    }
  });

  it('neutralises every cell a spreadsheet would run as a formula, keeping the approved text after the quote', () => {
    for (const bundle of bundles) {
      for (const name of CSV_FILES) {
        const { rows } = bundle.csv(name);
        const risky = rows.flatMap((row) => Object.values(row)).filter((cell) => /^[=+\-@\t\r]/.test(cell));
        expect(risky, `${bundle.manifest.survey.id} ${name}`).toEqual([]);
      }
    }
    const gov = bundles[0]!.csv('responses-restricted.csv').rows;
    expect(bundles[0]!.manifest.survey.id).toBe('analysis-gov');
    for (const [country, text] of Object.entries(FORMULA_TEXTS)) {
      const respondent = data.find((r) => r.country === country && r.kind === 'government')!;
      const row = gov.find((r) => r.g_staff === String(respondent.answers.g_staff));
      expect(row?.g_comment, country).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    }
    const cs = bundles[2]!.csv('responses-restricted.csv').rows;
    expect(cs.filter((r) => r.c_comment !== '.a').map((r) => r.c_comment)).toEqual([`'=cmd|" /C calc"!A0`]);
  });

  it('writes one audit entry per export, naming the actor and holding no token, name or text', async () => {
    const count = async () =>
      Number(
        (
          await handle.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'export.restricted')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const bundle = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 3, reproducible: true, actor: 'hld-desk@secretariat.example.org' });
    expect(await count()).toBe(before + 1);
    const entry = await handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'export.restricted')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(entry.actor).toBe('hld-desk@secretariat.example.org');
    expect(entry.subject).toBe('survey:analysis-gov');
    const details = typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details);
    const secrets = data.flatMap((r) => [
      r.name,
      r.email,
      r.token,
      sha256(r.token),
      ...Object.values(r.answers).filter((v): v is string => typeof v === 'string' && v.length > 12),
      ...Object.values(r.approved),
    ]);
    expect(secrets.filter((s) => details.includes(s))).toEqual([]);
    expect(details).toContain(bundle.manifest.files.find((f) => f.name === 'responses-restricted.csv')!.sha256);
  });
});

/**
 * The analysts' files run for real: labels.sps in PSPP and labels.R in Rscript (Debian packages
 * pspp and r-base-core, installed by .ci/run) on the working data and on the restricted-use bundle
 * of the export tests' adversarial data (60 responses; free text with quotes, line breaks and
 * formulas), and results.xlsx read back with exceljs. Stata is not installed: labels.do is checked
 * as text in syntax-text.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkingData, WORKING_FILES, type WorkingDataResult } from '../../../../server/export/working-data.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../../support/database.ts';
import { exportBundle, parseCsv, removeBundles, type Bundle } from '../support/bundle.ts';
import { exported, FORMULA_TEXTS, seedExportData, type SeededRespondent } from '../support/export-data.ts';

const run = promisify(execFile);

/** Runs labels.sps, then `check` (more PSPP syntax), in `folder`; the output as CSV tables. */
async function pspp(folder: string, check: string): Promise<string> {
  writeFileSync(path.join(folder, 'check.sps'), `INSERT FILE='labels.sps'.\n${check}\n`);
  const { stdout } = await run('pspp', ['-O', 'format=csv', '-o', '-', 'check.sps'], { cwd: folder, maxBuffer: 64 << 20 });
  expect(stdout).not.toMatch(/error:/i);
  return stdout;
}

/** Runs labels.R, then `check` (more R), in `folder`; its standard output. */
async function rscript(folder: string, check: string): Promise<string> {
  const { stdout } = await run('Rscript', ['-e', `source("labels.R"); ${check}`], { cwd: folder, maxBuffer: 64 << 20 });
  return stdout;
}

describe(`the analysts' files in PSPP, R and Excel (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  let data: SeededRespondent[];
  let working: string;
  let result: WorkingDataResult;
  let restricted: Bundle;

  beforeAll(async () => {
    handle = await createTestDatabase();
    data = await seedExportData(handle.db);
    working = mkdtempSync(path.join(tmpdir(), 'fat-working-'));
    result = await writeWorkingData(
      handle.db,
      { surveyId: 'analysis-gov', language: 'fr', values: 'labels', actor: 'analyst@secretariat.example.org' },
      working,
    );
    restricted = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 3 });
  }, 180_000);
  afterAll(async () => {
    rmSync(working, { recursive: true, force: true });
    removeBundles();
    await handle?.close();
  });

  const workingRows = () => parseCsv(readFileSync(path.join(working, WORKING_FILES.responses))).rows;

  it('the working data: every submitted, non-excluded response, marked confidential, with no name, e-mail or country, and audit-logged', async () => {
    const expected = exported(data, 'analysis-gov');
    expect(result.rows).toBe(expected.length);
    expect(workingRows()).toHaveLength(60);
    const { header } = parseCsv(readFileSync(path.join(working, WORKING_FILES.responses)));
    expect(header.slice(0, 5)).toEqual(['response', 'kind', 'region', 'role_group', 'org_type']);
    // Exact, not generalised: Fiji alone in Oceania is there.
    expect(workingRows().filter((r) => r.region === 'Oceania')).toHaveLength(1);
    for (const name of ['README.txt', 'labels.sps', 'labels.do', 'labels.R']) {
      expect(readFileSync(path.join(working, name), 'utf8'), name).toContain('CONFIDENTIAL - ASSESSMENT TEAM WORKING DATA');
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(working, 'results.xlsx'));
    expect(workbook.getWorksheet('README')!.getCell('A1').value).toBe('CONFIDENTIAL - ASSESSMENT TEAM WORKING DATA - NOT FOR PUBLICATION OR SHARING');
    // No identity in any file, the workbook's parts unzipped.
    const texts = readdirSync(working).flatMap((name) => {
      const bytes = readFileSync(path.join(working, name));
      return name.endsWith('.xlsx') ? Object.values(unzipSync(new Uint8Array(bytes))).map((part) => strFromU8(part)) : [bytes.toString('utf8')];
    });
    const needles = data.flatMap((r) => [r.name, r.email, r.token]).concat('Thistlewood');
    expect(needles.filter((needle) => texts.some((text) => text.includes(needle)))).toEqual([]);
    const audit = await handle.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'export.working_data').execute();
    expect(audit).toEqual([{ actor: 'analyst@secretariat.example.org', subject: 'survey:analysis-gov' }]);
  });

  it('PSPP reads 60 cases with French labels, and the special codes as missing values', async () => {
    const rows = workingRows();
    const out = await pspp(
      working,
      [
        'COMPUTE hidden = MISSING(g_meetings_m2008).',
        'COMPUTE unanswered = MISSING(g_support).',
        'DISPLAY DICTIONARY /VARIABLES=g_attended g_support.',
        "SAVE TRANSLATE /OUTFILE='values.csv' /TYPE=CSV /FIELDNAMES /CELLS=VALUES /MISSING=IGNORE /REPLACE.",
        "SAVE TRANSLATE /OUTFILE='labels.csv' /TYPE=CSV /FIELDNAMES /CELLS=LABELS /MISSING=IGNORE /REPLACE.",
      ].join('\n'),
    );
    // The variable label, in French (UTF-8 read as such).
    expect(out).toContain('1. Avez-vous assisté à une réunion du Forum ?');
    const values = parseCsv(readFileSync(path.join(working, 'values.csv'))).rows;
    const labels = parseCsv(readFileSync(path.join(working, 'labels.csv'))).rows;
    expect(values).toHaveLength(60);
    const byId = new Map(rows.map((r) => [r.response, r]));
    const words: Record<string, string> = { yes: 'Oui', no: 'Non', dk: 'Ne sait pas' };
    labels.forEach((row, i) => {
      const csv = byId.get(row.response!)!;
      // A value label, for every case.
      expect(row.g_attended, row.response).toBe(words[csv.g_attended!]);
      // Skip logic (.h) and a question left blank (.a): negative numbers, declared missing.
      expect(values[i]!.hidden, row.response).toBe(csv['g_meetings.m2008']!.startsWith('.') ? '1' : '0');
      expect(values[i]!.unanswered, row.response).toBe(csv.g_support!.startsWith('.') ? '1' : '0');
      if (csv.g_support === '.a') expect(values[i]!.g_support).toBe('-2');
      if (csv.g_support === 'dk') expect(values[i]!.g_support).toBe('97');
      expect(Number(values[i]!.g_staff)).toBe(Number(csv.g_staff));
    });
    expect(values.filter((v) => v.hidden === '1').length).toBeGreaterThan(0);
    expect(values.filter((v) => v.unanswered === '1').length).toBeGreaterThan(0);
    expect(labels.filter((l) => l.g_meetings_m2008 === 'masquée par le filtrage').length).toBe(values.filter((v) => v.hidden === '1').length);
  });

  it('PSPP reads a line break inside an answer from its copy of the row file, without losing a case', async () => {
    expect(readdirSync(restricted.folder)).toContain('responses-restricted-spss.csv');
    const out = await pspp(restricted.folder, "SAVE TRANSLATE /OUTFILE='values.csv' /TYPE=CSV /FIELDNAMES /CELLS=VALUES /MISSING=IGNORE /REPLACE.");
    expect(out).toBeDefined();
    const rows = parseCsv(readFileSync(path.join(restricted.folder, 'values.csv'))).rows;
    expect(rows).toHaveLength(restricted.manifest.rows.published);
    expect(rows.map((r) => r.g_comment)).toContain('Quotes "inside", a comma and a line break');
  });

  it('R reads 60 rows into factors labelled in French, the special codes NA with their reason', async () => {
    const rows = workingRows();
    const out = await rscript(
      working,
      [
        'cat(nrow(d), "\\n")',
        'cat(attr(d$g_attended, "label"), "\\n")',
        'write.csv(data.frame(response = d$response, attended = as.character(d$g_attended), m2008 = as.character(d$g_meetings_m2008),',
        '  m2008_why = as.character(attr(d$g_meetings_m2008, "missing_reason")), support = as.character(d$g_support),',
        '  support_why = as.character(attr(d$g_support, "missing_reason")), staff = d$g_staff, comment = d$g_comment), "r.csv", row.names = FALSE, fileEncoding = "UTF-8")',
      ].join('\n'),
    );
    expect(out.split('\n').slice(0, 2)).toEqual(['60 ', '1. Avez-vous assisté à une réunion du Forum ? ']);
    const read = parseCsv(readFileSync(path.join(working, 'r.csv'))).rows;
    expect(read).toHaveLength(60);
    const byId = new Map(rows.map((r) => [r.response, r]));
    const words: Record<string, string> = { yes: 'Oui', no: 'Non', dk: 'Ne sait pas' };
    const why: Record<string, string> = { '.h': 'masquée par le filtrage', '.a': 'sans réponse' };
    for (const row of read) {
      const csv = byId.get(row.response!)!;
      expect(row.attended).toBe(words[csv.g_attended!]);
      const m2008 = csv['g_meetings.m2008']!;
      expect([row.m2008, row.m2008_why]).toEqual(m2008.startsWith('.') ? ['NA', why[m2008]] : [m2008 === '1' ? 'cochée' : 'non cochée', 'NA']);
      expect([row.support, row.support_why]).toEqual(
        csv.g_support!.startsWith('.') ? ['NA', why[csv.g_support!]] : [csv.g_support === 'dk' ? 'Ne sait pas' : expect.any(String), 'NA'],
      );
      expect(Number(row.staff)).toBe(Number(csv.g_staff));
    }
    // Free text with quotes, a comma and a line break arrives whole (R reads a CR LF inside a field as LF).
    expect(read.map((r) => r.comment)).toContain(FORMULA_TEXTS.NGA!.replace('\r\n', '\n'));
    expect(read.filter((r) => r.support_why === 'sans réponse').length).toBeGreaterThan(0);
  });

  it('results.xlsx: sheets, frozen headers, labels, a suppressed cell marked, and no formula even for a hostile text', async () => {
    const bytes = restricted.raw.get('results.xlsx')!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['README', 'Data', 'Codebook', 'Tables']);
    const sheet = workbook.getWorksheet('Data')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, xSplit: 1 });
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    expect(sheet.getRow(2).getCell(column('g_attended')).value).toBe('1. Did you attend a Forum meeting?');
    const attended = new Set<unknown>();
    const comments: unknown[] = [];
    for (let r = 3; r <= sheet.rowCount; r++) {
      attended.add(sheet.getRow(r).getCell(column('g_attended')).value);
      comments.push(sheet.getRow(r).getCell(column('g_comment')).value);
    }
    expect(sheet.rowCount - 2).toBe(restricted.manifest.rows.published);
    expect([...attended].sort()).toEqual(['Don’t know', 'No', 'Yes']);
    // The approved hostile texts, shown as written: strings, never formulas.
    for (const text of Object.values(FORMULA_TEXTS).filter((t) => /^[=+\-@]/.test(t))) expect(comments).toContain(text);

    const tables = workbook.getWorksheet('Tables')!;
    const tableHeader = (tables.getRow(1).values as unknown[]).slice(1);
    const countAt = tableHeader.indexOf('count') + 1;
    let suppressed = 0;
    tables.eachRow((row, n) => {
      if (n === 1) return;
      const cell = row.getCell(countAt);
      if (cell.value === '.s') {
        suppressed += 1;
        expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFD9D9D9');
      } else expect(typeof cell.value).toBe('number');
    });
    expect(suppressed).toBe(restricted.csv('tables-restricted.csv').rows.filter((r) => r.count === '.s').length);
    expect(suppressed).toBeGreaterThan(0);

    // No formula anywhere: no <f> element in any sheet, and no cell read back as one.
    const parts = unzipSync(new Uint8Array(bytes));
    const sheets = Object.keys(parts).filter((name) => name.startsWith('xl/worksheets/sheet'));
    expect(sheets).toHaveLength(4);
    for (const name of sheets) expect(strFromU8(parts[name]!)).not.toMatch(/<f[ >]/);
    for (const ws of workbook.worksheets) ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});

/**
 * Disclosure control of the export bundle, attacked from the published files alone: the row file
 * must be k-anonymous on its quasi-identifiers, and no hidden count of tables.csv may follow from
 * the published counts (checked by linear programming over relations rebuilt from the CSV).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.ts';
import { writeExportBundle } from '../../../server/export/export-bundle.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { exportBundle, removeBundles, type Bundle, TEST_RECIPIENT } from './support/bundle.ts';
import { exported, seedExportData, type SeededRespondent } from './support/export-data.ts';
import { brokenRelations, cellKey, hiddenRanges, readTables } from './support/table-attack.ts';

const QUASI_IDENTIFIERS = ['kind', 'region', 'role_group', 'org_type'] as const;
/** Question types with exactly one code per answering respondent (from codebook.csv's type column). */
const ONE_CODE_TYPES = new Set(['single_choice', 'yes_no', 'scale', 'matrix']);

describe(`export bundle disclosure control (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  let data: SeededRespondent[];
  const bundles = new Map<string, Bundle>();
  const bundle = (surveyId: string, k: number) => bundles.get(`${surveyId}/${k}`)!;

  beforeAll(async () => {
    handle = await createTestDatabase();
    data = await seedExportData(handle.db);
    for (const surveyId of ['analysis-gov', 'analysis-cs']) {
      for (const k of [3, 5]) bundles.set(`${surveyId}/${k}`, await exportBundle(handle.db, { surveyId, k }));
    }
  }, 120_000);
  afterAll(async () => {
    removeBundles();
    await handle?.close();
  });

  describe.each([['analysis-gov'], ['analysis-cs']])('%s', (surveyId) => {
    it.each([[3], [5]])('k = %i: every combination of the quasi-identifier columns occurs at least k times', (k) => {
      const { header, rows } = bundle(surveyId, k).csv('responses-restricted.csv');
      expect(header.slice(1, 5)).toEqual([...QUASI_IDENTIFIERS]);
      expect(rows).toHaveLength(exported(data, surveyId).length);
      const classes = new Map<string, number>();
      for (const row of rows) {
        const key = QUASI_IDENTIFIERS.map((q) => row[q]).join(' / ');
        classes.set(key, (classes.get(key) ?? 0) + 1);
      }
      const small = [...classes].filter(([, n]) => n < k);
      expect(small, `classes below k = ${k}`).toEqual([]);
      // A suppressed record hides every quasi-identifier, never just some of them.
      for (const row of rows) {
        const suppressed = QUASI_IDENTIFIERS.filter((q) => row[q] === '.s').length;
        expect([0, QUASI_IDENTIFIERS.length]).toContain(suppressed);
      }
    });

    it.each([[3], [5]])('k = %i: every published count of tables.csv is 0 or at least k', (k) => {
      const { rows } = bundle(surveyId, k).csv('tables-restricted.csv');
      expect(rows.length).toBeGreaterThan(0);
      const small = rows.filter((r) => r.count !== '.s' && Number(r.count) > 0 && Number(r.count) < k);
      expect(small.map((r) => `${r.question_id}.${r.item} ${r.kind}/${r.region} ${r.code} = ${r.count}`)).toEqual([]);
    });

    it.each([[3], [5]])('k = %i: no hidden cell of tables.csv can be computed from the published cells', (k) => {
      const b = bundle(surveyId, k);
      const codebook = b.csv('codebook-restricted.csv').rows;
      const partitions = new Set(codebook.filter((r) => ONE_CODE_TYPES.has(r.type!)).map((r) => r.question_id!));
      const tables = readTables(b.csv('tables-restricted.csv').rows, partitions);
      expect(tables.length).toBeGreaterThan(0);
      expect(tables.flatMap(brokenRelations)).toEqual([]);
      const computable: string[] = [];
      let hiddenCells = 0;
      for (const table of tables) {
        for (const [id, { min, max }] of hiddenRanges(table)) {
          hiddenCells += 1;
          if (!(max - min > 1e-6)) computable.push(`${table.key} ${id} = ${min}`);
        }
      }
      // The data set has small groups (Fiji alone in Oceania), so something must be hidden.
      expect(hiddenCells).toBeGreaterThan(0);
      expect(computable).toEqual([]);
    });
  });

  it('tables-restricted.csv combined with responses.csv does not locate a suppressed row in a group smaller than k', () => {
    // At k = 3 the regions stay in the row file and Fiji, the Troika member and the roundtable
    // co-chair are suppressed (".s" in every quasi-identifier): the tables must not say where they are.
    const k = 3;
    const b = bundle('analysis-gov', k);
    const rows = b.csv('responses-restricted.csv').rows;
    expect(rows.filter((r) => r.kind === '.s').length).toBeGreaterThanOrEqual(k);
    const oneCode = new Set(
      b
        .csv('codebook-restricted.csv')
        .rows.filter((r) => ONE_CODE_TYPES.has(r.type!))
        .map((r) => r.column!),
    );
    const located: string[] = [];
    for (const cell of b.csv('tables-restricted.csv').rows) {
      const column = cell.item ? `${cell.question_id}.${cell.item}` : cell.question_id!;
      if (cell.count === '.s' || cell.region === 'all' || !oneCode.has(column)) continue;
      const gaveView = new Set(
        b
          .csv('tables-restricted.csv')
          .rows.filter((r) => r.question_id === cell.question_id && r.item === cell.item && r.base === '_substantive')
          .map((r) => r.code!),
      );
      const matches = (value: string) =>
        cell.code === '_answered' ? !value.startsWith('.') : cell.code === '_substantive' ? gaveView.has(value) : value === cell.code;
      // Rows the reader sees in this group; the rest of the count can only be suppressed rows.
      const visible = rows.filter((r) => r.kind === cell.kind && r.region === cell.region && matches(r[column]!)).length;
      const fromSuppressed = Number(cell.count) - visible;
      if (fromSuppressed > 0 && fromSuppressed < k)
        located.push(`${column} ${cell.kind}/${cell.region} ${cell.code}: ${cell.count} published, ${visible} rows visible`);
    }
    expect(located).toEqual([]);
  });

  it.each([[3], [5]])('k = %i: tables.csv groups are the published groups of at least k rows, so the lone Oceanian government has no column', (k) => {
    // Tables count each response under its kind and region as responses.csv publishes them
    // (generalised or ".s"): a column by true region would place Fiji, alone in Oceania.
    const b = bundle('analysis-gov', k);
    const responses = b.csv('responses-restricted.csv').rows;
    const rows = b.csv('tables-restricted.csv').rows.filter((r) => r.question_id === 'g_attended' && r.region !== 'all');
    const groups = [...new Set(rows.map((r) => `${r.kind}/${r.region}`))];
    // At k = 3 the row file keeps regions, so the tables break down by them (at k = 5 it may not).
    if (k === 3) expect(groups.length).toBeGreaterThan(0);
    expect(groups).not.toContain('government/Oceania');
    for (const group of groups) {
      const size = responses.filter((r) => `${r.kind}/${r.region}` === group).length;
      expect(size, group).toBeGreaterThanOrEqual(k);
    }
    // g_attended is required: when all codes but one are published as 0 and the base is hidden,
    // everyone in the group gave the remaining one. Groups of k or more keep their base published.
    const readable: string[] = [];
    for (const group of groups) {
      const cells = rows.filter((r) => `${r.kind}/${r.region}` === group);
      if (cells.find((r) => r.code === '_answered')!.count !== '.s') continue;
      const possible = cells.filter((r) => !r.code!.startsWith('_') && r.count !== '0');
      if (possible.length < 2) readable.push(`${group}: everyone answered ${possible.map((r) => r.code).join()}`);
    }
    expect(readable).toEqual([]);
  });

  it('tables-restricted.csv counts the exported responses exactly, including a group where everyone gave the same answer', () => {
    const b = bundle('analysis-gov', 5);
    const { rows } = b.csv('tables-restricted.csv');
    const responses = b.csv('responses-restricted.csv').rows;
    const published = new Map(rows.filter((r) => r.question_id === 'g_chair').map((r) => [cellKey(r.code!, r.kind!, r.region!), r.count!]));
    // In all: against the seeded answers (excluded and unsubmitted responses left out).
    const expected = new Map<string, number>();
    for (const r of exported(data, 'analysis-gov'))
      expected.set(cellKey(String(r.answers.g_chair), 'all', 'all'), (expected.get(cellKey(String(r.answers.g_chair), 'all', 'all')) ?? 0) + 1);
    // By group: against the rows of responses.csv in that published group.
    for (const r of responses) {
      for (const key of [cellKey(r.g_chair!, r.kind!, 'all'), cellKey(r.g_chair!, r.kind!, r.region!)]) expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    for (const [key, count] of published) {
      if (count === '.s' || key.startsWith('_answered') || key.startsWith('_substantive')) continue;
      expect(Number(count), key).toBe(expected.get(key) ?? 0);
    }
    // Every European government said "permanent": whatever is published for Europe says so too.
    const europe = responses.filter((r) => r.kind === 'government' && r.region === 'Europe');
    expect(europe.every((r) => r.g_chair === 'permanent')).toBe(true);
    if (europe.length) expect(published.get(cellKey('permanent', 'government', 'Europe'))).toBe(String(europe.length));
    // The base in all is kept (other cells protect the small ones) and is every exported response.
    expect(published.get(cellKey('_answered', 'all', 'all'))).toBe(String(exported(data, 'analysis-gov').length));
  });

  it('refuses k = 2 (and writes nothing, audits nothing)', async () => {
    const before = await handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'export.restricted')
      .executeTakeFirstOrThrow();
    const folder = path.join(tmpdir(), `fat-export-refused-${process.pid}-${Date.now()}`);
    const attempt = writeExportBundle(handle.db, { surveyId: 'analysis-gov', k: 2, actor: 'test', ...TEST_RECIPIENT }, folder);
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'validation' });
    const after = await handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'export.restricted')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(existsSync(folder)).toBe(false);
  });
});

/**
 * Writing a bundle into a fresh temporary folder and reading it back as a reader at the UN would:
 * raw bytes, CSV files parsed by papaparse (byte order mark stripped), and the manifest.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import type { ExportManifest } from '../../../../server/export/bundle-documents.ts';
import { writeExportBundle, type ExportOptions } from '../../../../server/export/export-bundle.ts';
import type { Database } from '../../../../server/db/schema.ts';

export const BUNDLE_FILES = [
  'README.txt',
  'codebook-restricted.csv',
  'labels.R',
  'labels.do',
  'labels.sps',
  'manifest.json',
  'responses-restricted.csv',
  'results.xlsx',
  'tables-restricted.csv',
] as const;

/** The copy of the row file that labels.sps reads when an answer holds a line break (SPSS cannot read one). */
export const SPSS_COPY = 'responses-restricted-spss.csv';

/** The files of a bundle by name, sorted, without the SPSS copy of the row file. */
export function bundleFileNames(names: Iterable<string>): string[] {
  return [...names].filter((name) => name !== SPSS_COPY).sort();
}

export interface ParsedCsv {
  header: string[];
  rows: Record<string, string>[];
}

export interface Bundle {
  folder: string;
  returned: ExportManifest;
  manifest: ExportManifest;
  /** Every file of the folder by name, as bytes. */
  raw: Map<string, Buffer>;
  csv(name: 'responses-restricted.csv' | 'codebook-restricted.csv' | 'tables-restricted.csv'): ParsedCsv;
}

const folders: string[] = [];

/** The recipient and purpose of the restricted-use files the tests write. */
export const TEST_RECIPIENT = { recipient: 'Evaluation unit, Example University', purpose: 'Testing the restricted-use bundle' };

/** Exports (restricted use, to {@link TEST_RECIPIENT} unless given) into a new temporary folder and reads every file back. */
export async function exportBundle(
  db: Kysely<Database>,
  options: Omit<ExportOptions, 'actor' | 'recipient' | 'purpose'> & { actor?: string; recipient?: string; purpose?: string },
): Promise<Bundle> {
  const folder = mkdtempSync(path.join(tmpdir(), 'fat-export-'));
  folders.push(folder);
  const returned = await writeExportBundle(db, { actor: 'test@secretariat.example.org', ...TEST_RECIPIENT, ...options }, folder);
  const raw = new Map(readdirSync(folder).map((name) => [name, readFileSync(path.join(folder, name))]));
  const manifest = JSON.parse(raw.get('manifest.json')!.toString('utf8')) as ExportManifest;
  return { folder, returned, manifest, raw, csv: (name) => parseCsv(raw.get(name)!) };
}

/** Removes every folder {@link exportBundle} made. */
export function removeBundles(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** A CSV file with a header row, after its byte order mark; throws on any parse error. */
export function parseCsv(bytes: Buffer): ParsedCsv {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`CSV errors: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  const [header = [], ...data] = parsed.data;
  return { header, rows: data.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) };
}

/**
 * Parses CSV by RFC 4180 to the letter (records end in CRLF; a field is either free of `"`, `,`, CR
 * and LF, or quoted with inner quotes doubled), so a lenient parser cannot hide a malformed file.
 * Throws at the first offence with its offset.
 */
export function parseRfc4180(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let field = '';
    if (text[at] === '"') {
      at += 1;
      for (;;) {
        if (at >= text.length) throw new Error(`unclosed quote before offset ${at}`);
        if (text[at] === '"' && text[at + 1] === '"') {
          field += '"';
          at += 2;
        } else if (text[at] === '"') break;
        else field += text[at++];
      }
      at += 1;
    } else {
      while (at < text.length && !/[,\r\n]/.test(text[at]!)) {
        if (text[at] === '"') throw new Error(`quote inside an unquoted field at offset ${at}`);
        field += text[at++];
      }
    }
    record.push(field);
    if (text[at] === ',') at += 1;
    else if (text.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
    } else if (at < text.length) throw new Error(`unexpected ${JSON.stringify(text[at])} at offset ${at}`);
  }
  if (record.length) records.push(record);
  return records;
}

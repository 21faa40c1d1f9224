/**
 * `assess export --survey <id> --out <folder> [--k 5] [--reproducible | --seed <hex>]`: writes the
 * anonymised bundle for the High Level Dialogue into a folder and prints what it holds.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_K, MIN_K, writeExportBundle } from '../export/export-bundle.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { writeReleaseBundle } from '../export/release-bundle.ts';
import { readRelease } from '../releases/release-service.ts';

/** `export --release <id> --out <folder>`: the public bundle of a release (its figures exactly). */
async function exportReleaseCommand(id: string, folder: string, out: CliOutput, env: NodeJS.ProcessEnv): Promise<number> {
  const target = path.resolve(folder);
  if (!/^[0-9]{1,9}$/.test(id)) {
    out.error(`--release takes a release id (see: npm run assess -- release list --survey <id>), not '${id}'.`);
    return EXIT.badInput;
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    out.error(`${folder} already holds files; give a new folder for the export.`);
    return EXIT.badInput;
  }
  return withCliDatabase(env, out, async ({ db }) => {
    const release = await readRelease(db, Number(id));
    const partial = `${target}.partial-${process.pid}`;
    try {
      const files = await writeReleaseBundle(release, partial);
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
      await insertAuditEntry(db, { actor: `cli:${os.userInfo().username}`, action: 'release.export', subject: `${release.surveyId}#${release.id}`, details: { contentHash: release.contentHash } });
      out.log(`Wrote ${folder}: release ${release.id} of '${release.surveyId}' (${files.join(', ')}).`);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    return EXIT.ok;
  });
}

export interface ExportCommandOptions {
  survey?: string;
  release?: string;
  out?: string;
  k?: string;
  seed?: string;
  reproducible?: boolean;
}

const USAGE = `Usage: npm run assess -- export --survey <id> --out <folder> [--k <${MIN_K}..100, default ${DEFAULT_K}>] [--reproducible | --seed <64 hex digits>]`;

export async function exportCommand(options: ExportCommandOptions, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (options.release !== undefined && options.out) return exportReleaseCommand(options.release, options.out, out, env);
  if (!options.survey || !options.out) {
    out.error(USAGE);
    return EXIT.usage;
  }
  const k = options.k === undefined ? undefined : Number(options.k);
  if (options.k !== undefined && (!/^\d+$/.test(options.k) || k! < MIN_K)) {
    out.error(`--k must be a whole number of at least ${MIN_K}, not '${options.k}'.`);
    return EXIT.badInput;
  }
  // Never mix the files of two exports: the folder must be new (or empty).
  const target = path.resolve(options.out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    out.error(`${options.out} already holds files; give a new folder for the export.`);
    return EXIT.badInput;
  }
  return withCliDatabase(env, out, async ({ db }) => {
    // Written beside the target and renamed at the end, so a failed export leaves no partial bundle.
    const partial = `${target}.partial-${process.pid}`;
    let manifest;
    try {
      manifest = await writeExportBundle(
        db,
        { surveyId: options.survey!, ...(k !== undefined ? { k } : {}), ...(options.seed ? { seed: options.seed.toLowerCase() } : {}), reproducible: options.reproducible === true, actor: `cli:${os.userInfo().username}` },
        partial,
      );
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    const control = manifest.disclosure_control;
    out.log(`Wrote ${options.out}: ${manifest.rows.published} response(s) published, k = ${manifest.parameters.k}.`);
    for (const plan of control.row_file.versions) {
      out.log(
        plan.withheld_all
          ? `  version ${plan.version}: fewer than ${manifest.parameters.k} responses, none published`
          : `  version ${plan.version}: ${plan.published} row(s), ${plan.suppressed} suppressed; ${plan.quasi_identifiers.map((q) => `${q.column} (${q.publishes})`).join('; ')}`,
      );
    }
    out.log(`  tables.csv: ${control.tables.primary} small and ${control.tables.complementary} complementary cell(s) hidden`);
    for (const file of manifest.files) out.log(`  ${file.name.padEnd(14)} ${String(file.bytes).padStart(10)} bytes  sha256 ${file.sha256}`);
    if (manifest.parameters.seed) out.log(`  seed (reproducible): ${manifest.parameters.seed}`);
    return EXIT.ok;
  });
}

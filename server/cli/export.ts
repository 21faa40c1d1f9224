/**
 * `assess export --release <id> --out <folder>`: a release's public bundle (a row file only when
 * release-row-file.ts allows it). `assess export --survey <id> --out <folder> --recipient <name>
 * --purpose <text> [--k 5] [--reproducible | --seed <hex>]`: the restricted-use bundle. Both print
 * what they wrote.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RESTRICTED_FILES, type ExportManifest } from '../export/bundle-documents.ts';
import { DEFAULT_K, MIN_K, writeExportBundle } from '../export/export-bundle.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { removeAbandonedPartials } from '../export/stale-exports.ts';
import { exportRelease } from '../export/release-export.ts';

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
    for (const left of await removeAbandonedPartials(target)) out.error(`Removed ${left}, left by an export that was stopped.`);
    const partial = `${target}.partial-${process.pid}`;
    try {
      const written = await exportRelease(db, { releaseId: Number(id), actor: `cli:${os.userInfo().username}` }, partial);
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
      out.log(`Wrote ${folder}: release ${written.releaseId} of '${written.surveyId}' (${written.files.map((f) => f.name).join(', ')}).`);
      out.log(written.plan.file ? `  Row file: ${written.plan.explanation}` : `  No row file: ${written.plan.explanation}`);
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
  recipient?: string;
  purpose?: string;
}

const USAGE = `Usage: npm run assess -- export --release <id> --out <folder>
   or: npm run assess -- export --survey <id> --out <folder> --recipient <name> --purpose <text> [--k <${MIN_K}..100, default ${DEFAULT_K}>] [--reproducible | --seed <64 hex digits>]`;

const RESTRICTED_USAGE = `export --survey writes the restricted-use row file, which is never published: give who receives it and what for,
  --recipient "<person, organisation>" --purpose "<what it may be used for>" (both are recorded with the issue and in the audit log).`;

export async function exportCommand(options: ExportCommandOptions, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (options.release !== undefined && options.out) return exportReleaseCommand(options.release, options.out, out, env);
  if (!options.survey || !options.out) {
    out.error(USAGE);
    return EXIT.usage;
  }
  const { recipient, purpose } = options;
  if (!recipient?.trim() || !purpose?.trim()) {
    out.error(RESTRICTED_USAGE);
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
    // Written beside the target and renamed at the end, so a failed export leaves no partial bundle;
    // one killed before it could clean up is removed by the next.
    for (const left of await removeAbandonedPartials(target)) out.error(`Removed ${left}, left by an export that was stopped.`);
    const partial = `${target}.partial-${process.pid}`;
    let manifest: ExportManifest;
    try {
      manifest = await writeExportBundle(
        db,
        {
          surveyId: options.survey!,
          ...(k !== undefined ? { k } : {}),
          ...(options.seed ? { seed: options.seed.toLowerCase() } : {}),
          reproducible: options.reproducible === true,
          actor: `cli:${os.userInfo().username}`,
          recipient,
          purpose,
        },
        partial,
      );
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    const control = manifest.disclosure_control;
    out.log(
      `Wrote ${options.out}: RESTRICTED USE, for ${manifest.restricted_use.recipient} (${manifest.restricted_use.purpose}); ${manifest.rows.published} response(s), k = ${manifest.parameters.k}.`,
    );
    for (const plan of control.row_file.versions) {
      out.log(
        plan.withheld_all
          ? `  version ${plan.version}: fewer than ${manifest.parameters.k} responses, none published`
          : `  version ${plan.version}: ${plan.published} row(s), ${plan.suppressed} suppressed; ${plan.quasi_identifiers.map((q) => `${q.column} (${q.publishes})`).join('; ')}`,
      );
    }
    out.log(`  ${RESTRICTED_FILES.tables}: ${control.tables.primary} small and ${control.tables.complementary} complementary cell(s) hidden`);
    for (const file of manifest.files) out.log(`  ${file.name.padEnd(24)} ${String(file.bytes).padStart(10)} bytes  sha256 ${file.sha256}`);
    if (manifest.parameters.seed) out.log(`  seed (reproducible): ${manifest.parameters.seed}`);
    return EXIT.ok;
  });
}

/**
 * What every command that touches the database shares: output, exit codes, and opening the
 * configured database safely (the data folder's lock on PGlite).
 */
import { readConfig, ConfigError, type Config } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { acquireDataFolderLock, DataFolderBusyError } from '../db/data-folder-lock.ts';
import { AppError } from '../errors.ts';

export interface CliOutput {
  /** A line for standard output. */
  log(line: string): void;
  /** A line for standard error. */
  error(line: string): void;
  /** Raw text for standard output (the CSV when no --out is given). */
  write(text: string): void;
}

/** Exit codes: 0 done, 1 bad input (nothing changed), 2 usage error or database busy. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

/** The configuration, or undefined after printing what is wrong with it (exit with EXIT.usage). */
export function readCliConfig(env: NodeJS.ProcessEnv, out: CliOutput): Config | undefined {
  try {
    return readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      out.error(error.message);
      return undefined;
    }
    throw error;
  }
}

/**
 * Runs `work` on the configured database: PostgreSQL when DATABASE_URL is set, otherwise PGlite in
 * DATA_DIR under the data folder's lock. Turns a busy folder, bad configuration and service errors
 * into messages and exit codes.
 */
export async function withCliDatabase(
  env: NodeJS.ProcessEnv,
  out: CliOutput,
  work: (handle: DatabaseHandle, config: Config) => Promise<number>,
): Promise<number> {
  const config = readCliConfig(env, out);
  if (!config) return EXIT.usage;
  let release = () => {};
  let handle: DatabaseHandle | undefined;
  try {
    if (config.databaseUrl) {
      handle = await openDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: 2 });
    } else {
      release = acquireDataFolderLock(config.dataDir, { role: 'cli' }).release;
      handle = await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
    }
    return await work(handle, config);
  } catch (error) {
    if (error instanceof DataFolderBusyError) {
      out.error(error.message);
      return EXIT.usage;
    }
    if (error instanceof AppError && error.code !== 'internal') {
      out.error(error.message);
      return EXIT.badInput;
    }
    throw error;
  } finally {
    await handle?.close();
    release();
  }
}

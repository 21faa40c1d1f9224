/**
 * A download written for one request: the files go into a fresh temporary folder (named
 * `<prefix>…` under the system's temporary folder, where stale ones are swept up, see
 * export/stale-exports.ts), stream out as one zip, and the folder is removed once the stream ends.
 * When the writer refuses or fails, the folder is removed at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ok, type Outcome, type Refusal } from '../errors.ts';
import { zipFolder } from '../export/zip-folder.ts';

/**
 * The zip of the files `write` wrote into the folder it is given and names, in that order; or
 * its refusal. With `subfolder`, `write` gets a folder inside the temporary one, not yet made.
 *
 * @example
 *   const zip = valueOr(await zipOfNewFolder('fat-export-', (folder) => writeFiles(folder)));
 *   return c.body(zip, 200, zipHeaders('bundle.zip'));
 */
export async function zipOfNewFolder<R extends Refusal>(
  prefix: string,
  write: (folder: string) => Promise<Outcome<readonly string[], R>>,
  options: { subfolder?: string } = {},
): Promise<Outcome<ReadableStream<Uint8Array>, R>> {
  const temporary = await mkdtemp(path.join(os.tmpdir(), prefix));
  const removeAll = () => rm(temporary, { recursive: true, force: true });
  const folder = options.subfolder ? path.join(temporary, options.subfolder) : temporary;
  const written = await write(folder).catch(async (error: unknown) => {
    await removeAll();
    throw error;
  });
  if (!written.ok) {
    await removeAll();
    return written;
  }
  return ok(zipFolder(folder, written.value, { removeFolder: true }));
}

/** The headers of a zip download named `fileName`, never cached (it holds what only its recipient may read). */
export function zipHeaders(fileName: string): Record<string, string> {
  return {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
  };
}

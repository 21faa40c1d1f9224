/**
 * Where a command writes new links: links are stored only hashed, so the file is the one place they
 * exist and is handled with care. `--out` is created first, exclusively (never over an older file of
 * links) and readable by its owner only; if the command stops before any link is written, the empty
 * file is removed again. Without `--out` the links go to standard output.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { EXIT, type CliOutput } from './cli-database.ts';

/** Runs `work` with a writer of links; a file that cannot be created stops the command before any work (exit 1). */
export async function withLinksOutput(
  outPath: string | undefined,
  out: CliOutput,
  work: (writeLinks: (text: string) => void) => Promise<number>,
): Promise<number> {
  let fd: number | undefined;
  if (outPath) {
    try {
      fd = openSync(outPath, 'wx', 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      out.error(
        code === 'EEXIST'
          ? `${outPath} already exists; choose another name (the links it holds cannot be shown again).`
          : `cannot write ${outPath}: ${code ?? String(error)}`,
      );
      return EXIT.badInput;
    }
  }
  let written = false;
  try {
    return await work((text) => {
      // From here on the links exist only in this output: it is never removed, even if writing fails.
      written = true;
      if (fd !== undefined) writeSync(fd, text);
      else out.write(text);
    });
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
      if (!written && outPath) unlinkSync(outPath);
    }
  }
}

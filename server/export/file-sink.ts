/**
 * A file written chunk by chunk, hashed on the way, at the disk's pace. A write error (a full
 * disk, a removed folder) is kept and thrown to the writer instead of crashing the process.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

export interface WrittenFile {
  name: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

export class FileSink {
  private readonly hash = createHash('sha256');
  private readonly stream: WriteStream;
  private bytes = 0;
  private failure: Error | undefined;
  /** Data rows written, for the manifest (the writer counts them). */
  rows = 0;

  constructor(
    readonly name: string,
    folder: string,
  ) {
    this.stream = createWriteStream(path.join(folder, name));
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Writes text (UTF-8), waiting for the disk when its buffer is full. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = Buffer.from(text, 'utf8');
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await this.settled('drain');
  }

  /** Flushes and closes the file; its size and SHA-256. */
  async close(countRows: boolean): Promise<WrittenFile> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await this.settled('finish');
    return { name: this.name, rows: countRows ? this.rows : null, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Gives up the file (after a failure elsewhere): closes the descriptor at once. */
  abandon(): void {
    this.stream.destroy();
  }

  /** Waits for `event`, or throws the stream's error if that comes first. */
  private async settled(event: 'drain' | 'finish'): Promise<void> {
    if (this.failure) throw this.failure;
    // events.once rejects when 'error' is emitted while waiting.
    await once(this.stream, event);
  }
}

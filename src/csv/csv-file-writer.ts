import { createHash, Hash } from 'node:crypto';
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { createPrivateWriteStream, fsyncPath, ioError } from '../core/private-files';
import { encodeRecord } from './csv-encode';

/**
 * Writes converge CSV to a 0600 file, hashing as it goes and waiting for 'drain' when the disk
 * is slower than the producer. close() syncs the file before reporting it written.
 */
export class CsvFileWriter {
  private readonly out: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private pending = '';
  private error?: Error;
  bytes = 0;
  rows = 0;

  constructor(readonly file: string, header: string[]) {
    this.out = createPrivateWriteStream(file);
    this.out.on('error', (e) => (this.error ??= e));
    this.pending = encodeRecord(header);
  }

  async write(fields: ReadonlyArray<string | null>): Promise<void> {
    this.pending += encodeRecord(fields);
    this.rows++;
    if (this.pending.length >= 1 << 18) await this.flush();
  }

  /** Synchronous append for hot loops; call flushIfFull() once per batch. */
  append(fields: ReadonlyArray<string | null>): void {
    this.pending += encodeRecord(fields);
    this.rows++;
  }

  async flushIfFull(): Promise<void> {
    if (this.pending.length >= 1 << 18) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.error) throw ioError(this.error, `cannot write ${this.file}`, this.file);
    if (!this.pending) return;
    const buf = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.out.write(buf)) await Promise.race([once(this.out, 'drain'), once(this.out, 'error')]);
    if (this.error) throw ioError(this.error, `cannot write ${this.file}`, this.file);
  }

  async close(): Promise<{ bytes: number; sha256: string; rows: number }> {
    await this.flush();
    this.out.end();
    await Promise.race([once(this.out, 'finish'), once(this.out, 'error')]);
    if (this.error) throw ioError(this.error, `cannot write ${this.file}`, this.file);
    await fsyncPath(this.file);
    return { bytes: this.bytes, sha256: this.hash.digest('hex'), rows: this.rows };
  }

  destroy(): void {
    this.out.destroy();
  }
}

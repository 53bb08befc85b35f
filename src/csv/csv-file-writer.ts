import { createHash, Hash } from 'node:crypto';
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { createPrivateWriteStream, fsyncPath, ioError } from '../core/private-files';
import { encodeLine } from './csv-encode';

/**
 * Records are turned into bytes every TEXT_CHARS characters, so the strings waiting die young
 * and cheap; bytes go to the file in blocks of BLOCK_BYTES.
 */
const TEXT_CHARS = 1 << 16;
const BLOCK_BYTES = 1 << 20;

/**
 * Writes converge CSV to a 0600 file, hashing as it goes and waiting for 'drain' when the disk
 * is slower than the producer. close() syncs the file before reporting it written.
 * Memory: about one block, plus what the stream buffers.
 */
export class CsvFileWriter {
  private readonly out: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  /** Encoded records not yet turned into bytes, without their '\n's; `chars` counts their text. */
  private lines: string[] = [];
  private chars = 0;
  private blocks: Buffer[] = [];
  private blockBytes = 0;
  private error?: Error;
  bytes = 0;
  rows = 0;

  constructor(
    readonly file: string,
    header: string[],
  ) {
    this.out = createPrivateWriteStream(file);
    this.out.on('error', (e) => (this.error ??= e));
    this.lines.push(encodeLine(header));
  }

  async write(fields: ReadonlyArray<string | null>): Promise<void> {
    this.append(fields);
    await this.flushIfFull();
  }

  /** Synchronous append for hot loops; call flushIfFull() once per batch. */
  append(fields: ReadonlyArray<string | null>): void {
    const line = encodeLine(fields);
    this.lines.push(line);
    this.chars += line.length + 1;
    this.rows++;
  }

  /** Appends records already encoded as CSV bytes, each ending in '\n' (the byte-level transform's output). */
  appendEncoded(bytes: Buffer, rows: number): void {
    this.encodePending();
    if (bytes.length > 0) {
      this.blocks.push(bytes);
      this.blockBytes += bytes.length;
    }
    this.rows += rows;
  }

  async flushIfFull(): Promise<void> {
    if (this.chars >= TEXT_CHARS) this.encodePending();
    if (this.blockBytes >= BLOCK_BYTES) await this.flush();
  }

  private encodePending(): void {
    if (this.lines.length === 0) return;
    this.lines.push('');
    const buf = Buffer.from(this.lines.join('\n'), 'utf8');
    this.lines = [];
    this.chars = 0;
    this.blocks.push(buf);
    this.blockBytes += buf.length;
  }

  private async flush(): Promise<void> {
    this.throwIfFailed();
    this.encodePending();
    if (this.blockBytes === 0) return;
    const buf = this.blocks.length === 1 ? this.blocks[0] : Buffer.concat(this.blocks, this.blockBytes);
    this.blocks = [];
    this.blockBytes = 0;
    this.hash.update(buf);
    this.bytes += buf.length;
    // once() rejects if 'error' comes first and removes its own listener either way; racing two
    // once() promises left one 'error' listener behind per wait.
    if (!this.out.write(buf)) await this.settled('drain');
    this.throwIfFailed();
  }

  async close(): Promise<{ bytes: number; sha256: string; rows: number }> {
    await this.flush();
    this.out.end();
    await this.settled('finish');
    this.throwIfFailed();
    await fsyncPath(this.file);
    return { bytes: this.bytes, sha256: this.hash.digest('hex'), rows: this.rows };
  }

  /** Abandons the file (the caller removes it): resolves once the descriptor is closed. */
  async destroy(): Promise<void> {
    this.out.destroy();
    if (!this.out.closed) await once(this.out, 'close').catch(() => undefined);
  }

  /** Number of 'error' listeners on the stream (the writer's own is one): for tests of the leak. */
  get errorListeners(): number {
    return this.out.listenerCount('error');
  }

  private async settled(event: 'drain' | 'finish'): Promise<void> {
    try {
      await once(this.out, event);
    } catch (e) {
      this.error ??= e as Error;
    }
  }

  private throwIfFailed(): void {
    if (this.error) throw ioError(this.error, `cannot write ${this.file}`, this.file);
  }
}

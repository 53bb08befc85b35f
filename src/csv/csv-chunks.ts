import { encodeLine } from './csv-encode';

/** Records remembered for error reports: a COPY error names a line among the last RING sent. */
export const RING = 1 << 16;

/**
 * Which source row a COPY line belongs to, for the last RING records encoded. Postgres counts
 * physical lines, and a quoted value may hold new lines, so each record's first line is kept.
 */
export class LineIndex {
  private readonly first = new Float64Array(RING);
  private readonly ordinal = new Float64Array(RING);
  private count = 0;
  private nextLine = 1;

  /** Records added so far. */
  get records(): number {
    return this.count;
  }

  add(ordinal: number, encoded: string): void {
    let n = 1;
    if (encoded.indexOf('"') !== -1)
      for (let i = encoded.indexOf('\n'); i !== -1; i = encoded.indexOf('\n', i + 1)) n++;
    this.addLines(ordinal, n);
  }

  /** A record of `lines` physical lines from source row `ordinal`. */
  addLines(ordinal: number, lines: number): void {
    const slot = this.count++ & (RING - 1);
    this.first[slot] = this.nextLine;
    this.ordinal[slot] = ordinal;
    this.nextLine += lines;
  }

  /** The source ordinal of the record covering physical COPY line `line`, if still remembered. */
  ordinalAt(line: number): number | undefined {
    const oldest = Math.max(0, this.count - RING);
    for (let r = this.count - 1; r >= oldest; r--) {
      const slot = r & (RING - 1);
      if (this.first[slot] <= line) return this.ordinal[slot];
    }
    return undefined;
  }
}

/** Rows encoded per chunk: one string join and one UTF-8 encode per chunk, not per row. */
export const CHUNK_ROWS = 1024;

/** Target rows → converge CSV bytes in chunks, recording each record's COPY line. */
export class ChunkEncoder {
  readonly lines = new LineIndex();
  private text: string[] = [];

  get pending(): number {
    return this.text.length;
  }

  add(ordinal: number, fields: ReadonlyArray<string | null>): void {
    const line = encodeLine(fields);
    this.lines.add(ordinal, line);
    this.text.push(line);
  }

  /** The records added since the last take, as bytes; undefined when there are none. */
  take(): Buffer | undefined {
    if (!this.text.length) return undefined;
    this.text.push('');
    const buf = Buffer.from(this.text.join('\n'), 'utf8');
    this.text = [];
    return buf;
  }
}

/** A row ready to encode: its fields and its source line (the transform's MappedRow has this shape). */
export interface LineRow {
  fields: ReadonlyArray<string | null>;
  line: number;
}

/** Mapped row batches (the general path, through the mapping's row policies) → CSV chunks. */
export async function* encodeBatches(
  rows: AsyncIterable<ReadonlyArray<LineRow>>,
  enc: ChunkEncoder,
): AsyncGenerator<Buffer> {
  for await (const batch of rows) {
    for (const r of batch) enc.add(r.line, r.fields);
    const buf = enc.take();
    if (buf) yield buf;
  }
}

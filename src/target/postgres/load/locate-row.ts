import { readCsvRecords } from '../../../csv/read-csv';
import { parseRejectedKey } from './load-error';

export interface LocatedRow {
  csvLine: number;
  row: Record<string, string | null>;
}

/**
 * Finds the record that covers physical line `line` (Postgres counts physical lines in COPY's
 * CONTEXT, so a record with embedded newlines ends on a later line than it starts).
 */
export async function rowAtLine(file: string, line: number): Promise<LocatedRow | undefined> {
  let header: string[] | undefined;
  let best: LocatedRow | undefined;
  for await (const r of readCsvRecords({ file })) {
    header ??= await headerOf(file);
    if (r.line > line) break;
    best = { csvLine: r.line, row: toObject(header, r.fields) };
  }
  return best;
}

/** Finds the first record whose columns hold the given values (for FK and unique errors, which carry the key, not the line). */
export async function rowWithValues(file: string, values: Record<string, string>): Promise<LocatedRow | undefined> {
  const header = await headerOf(file);
  const want = Object.entries(values).map(([k, v]) => [header.indexOf(k), v] as const);
  if (want.some(([i]) => i < 0)) return undefined;
  for await (const r of readCsvRecords({ file })) {
    if (want.every(([i, v]) => (r.fields[i] ?? '').toLowerCase() === v.toLowerCase()))
      return { csvLine: r.line, row: toObject(header, r.fields) };
  }
  return undefined;
}

async function headerOf(file: string): Promise<string[]> {
  const { createReadStream } = await import('node:fs');
  const s = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of s) {
      const nl = (chunk as string).indexOf('\n');
      return (chunk as string)
        .slice(0, nl < 0 ? undefined : nl)
        .split(',')
        .map((h) => h.replace(/^"|"$/g, ''));
    }
  } finally {
    s.destroy();
  }
  return [];
}

function toObject(header: string[], fields: Array<string | null>): Record<string, string | null> {
  const o: Record<string, string | null> = {};
  header.forEach((h, i) => {
    const v = fields[i];
    o[h] = v === null || v === undefined ? null : v.length > 200 ? v.slice(0, 200) + '…' : v;
  });
  return o;
}

/** Parses "Key (a, b)=(x, y)" from a Postgres error detail. Values containing ", " are ambiguous; then only single-column keys are trusted. */
export function parseKeyDetail(detail: string | undefined): Record<string, string> | undefined {
  return parseRejectedKey(detail)?.byColumn;
}

/** Parses "COPY t, line 4, column j: …" from a Postgres error's `where`. */
export function parseCopyContext(where: string | undefined): { line?: number; column?: string } {
  const m = /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/.exec(where ?? '');
  if (!m) return {};
  return { line: Number(m[1]), column: m[2] };
}

import type { MapCheckResult } from './run-map-check';

/**
 * The probe's summary as `map check --probe` prints it: each change the mapping makes (declared,
 * counted, with its first row), then what was read and how fast, and whether it was a sample.
 */
export function describeProbe(p: NonNullable<MapCheckResult['probe']>): string[] {
  const lines = p.changes.map(
    (c) =>
      `change ${c.kind}: table ${c.table} column ${c.column}: ${c.count} value(s), the first at source key ${c.firstKey}`,
  );
  const mb = p.bytes / 1e6;
  const rate = p.seconds > 0 ? ` (${Math.round(p.rows / p.seconds)} rows/s, ${(mb / p.seconds).toFixed(1)} MB/s)` : '';
  lines.push(
    `probed ${p.tables.length} table(s), ${p.rows} row(s), ${mb.toFixed(1)} MB in ${p.seconds.toFixed(1)} s${rate}` +
      (p.sample !== undefined
        ? `; a sample: the first ${p.sample} rows of each table, so values in later rows were not read`
        : '; every row of every table'),
  );
  return lines;
}

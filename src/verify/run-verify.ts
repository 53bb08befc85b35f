import type { Logger } from 'pino';
import type { Client } from 'pg';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { readManifest } from '../export/manifest';
import { loadMapping } from '../mapping/load-mapping';
import type { RunRecorder } from '../run/run-recorder';
import { MysqlConnection, openMysql } from '../source/mysql/connect';
import { exportEncoding, readMysqlCatalog } from '../source/mysql/catalog';
import { streamTableRecords } from '../source/mysql/stream-rows';
import { quoteMysql } from '../source/mysql/quote';
import { openPg, qualifiedPg, quotePg } from '../target/postgres/connect';
import { readPgCatalog, tableKey } from '../target/postgres/catalog';
import { compileTable } from '../transform/compile-table';
import { buildLookups, SourcePairs } from '../transform/lookups';
import { mapRows } from '../transform/map-rows';
import { splitTarget } from '../import/run-import';
import { CsvDecoder } from '../csv/csv-decode';
import { to as copyTo } from 'pg-copy-streams';
import { canonicalFor } from './canonical';
import { TableChecksum } from './row-checksum';

export interface VerifyOptions {
  /** The transform output directory (its manifest names the tables and the run). */
  dir: string;
  mappingDir: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
  log: Logger;
  recorder?: RunRecorder;
}

export interface TableVerdict {
  table: string;
  manifestRows: number;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
  problems: string[];
}

/**
 * Proves the load: for every table, row counts (manifest, live source after mapping, target)
 * and an order-independent content checksum of canonical values computed independently on
 * both sides: MySQL rows go through the mapping again (not through the CSV files), Postgres rows
 * are read back with COPY TO. Reports every difference; throws VERIFY_FAILED when there is one.
 */
export async function runVerify(opts: VerifyOptions): Promise<TableVerdict[]> {
  const manifest = await readManifest(opts.dir, 'converge-transform/1');
  const mapping = await loadMapping(opts.mappingDir);
  const defaultSchema = manifest.targetSchema ?? 'public';
  const my = await openMysql(opts.source);
  let pg: Client | undefined;
  const verdicts: TableVerdict[] = [];
  try {
    pg = await openPg(opts.target, { applicationName: 'converge verify' });
    await my.query("SET SESSION time_zone = '+00:00'");
    const srcCatalog = new Map((await readMysqlCatalog(my, opts.source.database!)).map((t) => [t.name, t]));
    const lookups = await buildLookups(mapping, pairsFromMysql(my), pg, defaultSchema);
    const entries = Object.values(manifest.tables);
    const pgCatalog = await readPgCatalog(pg, [...new Set(entries.map((e) => splitTarget(e.name, defaultSchema).schema))]);
    for (const t of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const { schema, table } = splitTarget(t.name, defaultSchema);
      const rule = mapping.tables.get(t.sourceTable ?? t.name);
      const src = srcCatalog.get(t.sourceTable ?? t.name);
      const pgt = pgCatalog.tables.get(tableKey(schema, table));
      if (!rule || !src || !pgt) throw new ConvergeError('VERIFY_FAILED', `table ${t.name} is missing from the mapping, the source or the target`, { stage: 'verify', table: t.name });
      const types = new Map(pgt.columns.map((c) => [c.name, c.type]));
      const cols = t.columns.map((c) => c.name);
      const canon = cols.map((c) => canonicalFor(types.get(c) ?? 'text'));
      // Source side: live rows → mapping → canonical → checksum.
      const compiled = compileTable(rule, src.columns.map((c) => ({ name: c.name, encoding: exportEncoding(c) })), { timezone: mapping.timezone, lookups, origin: `mysql:${src.name}` });
      if (compiled.targetColumns.join(',') !== cols.join(',')) throw new ConvergeError('VERIFY_FAILED', `the mapping for ${t.name} changed since transform (columns differ)`, { stage: 'verify', table: t.name });
      const sourceSum = new TableChecksum(canon);
      for await (const batch of mapRows(compiled, rule, () => streamTableRecords(my, src), { origin: `mysql:${src.name}`, applyExisting: true })) for (const r of batch) sourceSum.add(r.fields);
      // Target side: COPY the same columns out and checksum them.
      const targetSum = new TableChecksum(canon);
      await checksumPgTable(pg, schema, table, cols, types, targetSum);
      const problems: string[] = [];
      const expectedTarget = sourceSum.rows;
      if (targetSum.rows !== expectedTarget) problems.push(`row count: target has ${targetSum.rows}, source (after mapping) has ${expectedTarget}`);
      const skipped = Object.values(t.changes ?? {}).reduce((n, c) => n + (c.existingSkipped ?? 0), 0);
      if (t.rows + skipped !== sourceSum.rows) problems.push(`row count: manifest loaded ${t.rows} (+${skipped} already in the target), the live source maps to ${sourceSum.rows} (did the source change since export?)`);
      if (sourceSum.hex() !== targetSum.hex()) problems.push(`content checksum differs: source ${sourceSum.hex()}, target ${targetSum.hex()}`);
      const v: TableVerdict = { table: t.name, manifestRows: t.rows, sourceRows: sourceSum.rows, targetRows: targetSum.rows, sourceChecksum: sourceSum.hex(), targetChecksum: targetSum.hex(), ok: problems.length === 0, problems };
      verdicts.push(v);
      opts.log[v.ok ? 'info' : 'error']({ table: t.name, rows: targetSum.rows, checksum: targetSum.hex(), problems }, v.ok ? 'table verified' : 'table differs');
      await opts.recorder?.event({ kind: 'table.verified', stage: 'verify', table: t.name, payload: { ...v } });
    }
  } finally {
    await my.end().catch(() => undefined);
    await pg?.end().catch(() => undefined);
  }
  const bad = verdicts.filter((v) => !v.ok);
  if (bad.length) {
    throw new ConvergeError('VERIFY_FAILED', `${bad.length} of ${verdicts.length} tables differ:\n${bad.map((v) => `  ${v.table}: ${v.problems.join('; ')}`).join('\n')}`, { stage: 'verify', table: bad[0].table, verdicts });
  }
  return verdicts;
}

function pairsFromMysql(conn: MysqlConnection): SourcePairs {
  return async function* (table, key, naturalKey) {
    const [rows] = await conn.query({ sql: `SELECT ${quoteMysql(key)}, ${quoteMysql(naturalKey)} FROM ${quoteMysql(table)}`, rowsAsArray: true });
    for (const r of rows as Array<[unknown, unknown]>) yield [r[0] === null ? null : String(r[0]), r[1] === null ? null : String(r[1])];
  };
}

async function checksumPgTable(pg: Client, schema: string, table: string, cols: string[], types: Map<string, string>, sum: TableChecksum): Promise<void> {
  // Arrays leave as JSON so both sides share one canonical form.
  const select = cols.map((c) => (types.get(c)?.endsWith('[]') ? `to_jsonb(${quotePg(c)})` : quotePg(c))).join(', ');
  const stream = pg.query(copyTo(`COPY (SELECT ${select} FROM ${qualifiedPg(schema, table)}) TO STDOUT WITH (FORMAT csv)`));
  const decoder = new CsvDecoder(`postgres:${schema}.${table}`);
  const utf8 = new TextDecoder('utf-8');
  const onRecord = (r: { fields: Array<string | null> }) => sum.add(r.fields);
  for await (const chunk of stream) decoder.push(utf8.decode(chunk as Buffer, { stream: true }), onRecord);
  decoder.push(utf8.decode(), onRecord);
  decoder.end(onRecord);
}

import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { readManifest } from '../manifest';
import { loadMapping } from '../mapping/load-mapping';
import type { RunRecorder } from '../run/run-recorder';
import { MysqlConnection, openMysql, useMysqlUtc } from '../source/mysql/connect';
import { exportEncoding, readMysqlCatalog } from '../source/mysql/catalog';
import { mysqlKeyPairs } from '../source/mysql/key-pairs';
import { openPg, PgSession } from '../target/postgres/connect';
import { readPgCatalog, splitTarget, tableKey } from '../target/postgres/catalog';
import { compileTable } from '../transform/compile-table';
import { integrityProblems } from '../target/postgres/verify/integrity-checks';
import { verifySession } from '../target/postgres/verify/verify-session';
import { pgTextHashOf } from '../target/postgres/verify/segment-sums';
import { buildLookups } from '../transform/lookups';
import { Canon, canonicalFor } from './canonical';
import { CompareInput, compareTable, ComparePaths, TableComparison } from './compare-table';
import type { DrillDown } from './drill-down';
import { planHash } from './hash-plan';
import { PG_TEXT_HASH_PROBE, pgTextHash64 } from './pg-text-hash';
import { checkExpectations, readExpectations, SchemaVerdict } from './schema-expectations';

export interface VerifyOptions {
  /** The transform output directory (its manifest names the tables and the run). */
  dir: string;
  mappingDir: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
  log: Logger;
  recorder?: RunRecorder;
  /** A pipeline's expectations.yaml: tables, FKs, enums, indexes and triggers per schema. */
  expectationsFile?: string;
  /**
   * The target took the source's changes after the load (converge follow): the manifest's
   * counts are the snapshot's, no longer the source's, so only source and target are compared.
   */
  followed?: boolean;
  /**
   * Read the source through this connection, left open (a checkpoint's consistent snapshot, so
   * every table is read as of one binary log position); default: a connection of verify's own.
   */
  sourceConnection?: MysqlConnection;
  /** How a table's rows are compared; default compareTable (every row of both sides). */
  compare?: (x: CompareInput, keyColumns: string[]) => Promise<TableComparison>;
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
  /**
   * Columns whose type converge has no canonical form for: their values are not compared (only
   * NULL against not NULL is), so they are neither a difference nor a proof. Printed as
   * "column not verified (type t)".
   */
  notVerified: Array<{ column: string; type: string }>;
  /** On a checksum difference: the first differing key range and example rows from both sides. */
  drill?: DrillDown;
  /** Every differing key segment found (at most ten), with its rows. */
  drills?: DrillDown[];
  /** How the table was compared: which columns were hashed in source SQL, which on the stream. */
  paths?: ComparePaths;
}

export interface VerifyReport {
  tables: TableVerdict[];
  schemas: SchemaVerdict[];
}

/**
 * Proves the load: for every table, row counts (manifest, live source after mapping, target)
 * and an order-independent content checksum of canonical values computed independently on
 * both sides: MySQL rows go through the mapping again (not through the CSV files), Postgres rows
 * are read back with COPY TO. Then orphans, sequences and triggers of the loaded tables, and
 * the schema expectations. Reports every difference; throws VERIFY_FAILED when there is one.
 */
export async function runVerify(opts: VerifyOptions): Promise<TableVerdict[]> {
  return (await runVerifyReport(opts)).tables;
}

export async function runVerifyReport(opts: VerifyOptions): Promise<VerifyReport> {
  const manifest = await readManifest(opts.dir, 'converge-transform/1');
  const mapping = await loadMapping(opts.mappingDir);
  const expected = opts.expectationsFile ? await readExpectations(opts.expectationsFile) : undefined;
  const defaultSchema = manifest.targetSchema ?? 'public';
  const my = opts.sourceConnection ?? (await openMysql(opts.source));
  let myStream: MysqlConnection | undefined;
  let pg: PgSession | undefined;
  let pgChecks: PgSession | undefined;
  const verdicts: TableVerdict[] = [];
  let schemas: SchemaVerdict[] = [];
  try {
    pg = await openPg(opts.target, { applicationName: 'converge verify' });
    await verifySession(pg);
    // The streamed columns' hashes are Postgres's hashtextextended, computed by converge too: a
    // server that reads bytes in another order (big-endian) gives other numbers.
    const textHashAgrees = (await pgTextHashOf(pg, PG_TEXT_HASH_PROBE)) === pgTextHash64(PG_TEXT_HASH_PROBE).toString();
    await useMysqlUtc(my);
    const srcCatalog = new Map((await readMysqlCatalog(my, opts.source.database!)).map((t) => [t.name, t]));
    const lookups = await buildLookups(mapping, mysqlKeyPairs(my), pg, defaultSchema);
    const entries = Object.values(manifest.tables).sort((a, b) => a.name.localeCompare(b.name));
    const pgCatalog = await readPgCatalog(pg, [
      ...new Set(entries.map((e) => splitTarget(e.name, defaultSchema).schema)),
    ]);
    // The integrity checks (orphans, sequences, triggers) run on a session of their own, beside
    // the content comparison instead of before it; their answer is awaited at the first verdict.
    pgChecks = await openPg(opts.target, { applicationName: 'converge verify' });
    const integrityRun = integrityProblems(
      pgChecks,
      pgCatalog,
      entries.map((t) => tableKey(splitTarget(t.name, defaultSchema).schema, splitTarget(t.name, defaultSchema).table)),
    );
    // A failure surfaces where it is awaited (or not at all when the comparison failed first).
    integrityRun.catch(() => undefined);
    for (const t of entries) {
      const { schema, table } = splitTarget(t.name, defaultSchema);
      const rule = mapping.tables.get(t.sourceTable ?? t.name);
      const src = srcCatalog.get(t.sourceTable ?? t.name);
      const pgt = pgCatalog.tables.get(tableKey(schema, table));
      if (!rule || !src || !pgt)
        throw new ConvergeError(
          'VERIFY_FAILED',
          `table ${t.name} is missing from the mapping, the source or the target`,
          { stage: 'verify', table: t.name },
        );
      const types = new Map(pgt.columns.map((c) => [c.name, c.baseType ?? c.type]));
      const cols = t.columns.map((c) => c.name);
      const byName = new Map(pgt.columns.map((c) => [c.name, c]));
      const notVerified: TableVerdict['notVerified'] = [];
      const canon = cols.map((c) => {
        const col = byName.get(c);
        const f = col?.valueType ? canonicalFor(col.valueType) : null;
        if (f) return f;
        notVerified.push({ column: c, type: col?.type ?? 'unknown' });
        return presenceOnly;
      });
      const compiled = compileTable(
        rule,
        src.columns.map((c) => ({ name: c.name, encoding: exportEncoding(c) })),
        { timezone: mapping.timezone, lookups, origin: `mysql:${src.name}` },
      );
      if (compiled.targetColumns.join(',') !== cols.join(','))
        throw new ConvergeError('VERIFY_FAILED', `the mapping for ${t.name} changed since transform (columns differ)`, {
          stage: 'verify',
          table: t.name,
        });
      const keyColumns = pgt.primaryKey.every((k) => cols.includes(k)) ? pgt.primaryKey : [];
      let plan = planHash(compiled, rule, src.columns, pgt.columns, keyColumns);
      if (!textHashAgrees && plan.mode !== 'whole' && plan.columns.some((c) => c.path === 'stream'))
        plan = {
          ...plan,
          mode: 'whole',
          reason:
            "the target's hashtextextended differs from converge's (a big-endian server?): streamed columns cannot be summed there",
        };
      // A snapshot is one connection: the streamed columns are read on it too (in turn).
      if (
        plan.mode !== 'whole' &&
        plan.columns.some((c) => c.path === 'stream') &&
        !myStream &&
        !opts.sourceConnection
      ) {
        myStream = await openMysql(opts.source);
        await useMysqlUtc(myStream);
      }
      const c = await (opts.compare ?? compareTable)(
        { my, myStream, pg, src, compiled, rule, schema, table, types, canon, plan },
        keyColumns,
      );
      const problems: string[] = [];
      if (c.targetRows !== c.sourceRows)
        problems.push(`row count: target has ${c.targetRows}, source (after mapping) has ${c.sourceRows}`);
      const skipped = Object.values(t.changes ?? {}).reduce((n, ch) => n + (ch.existingSkipped ?? 0), 0);
      if (!opts.followed && t.rows + skipped !== c.sourceRows)
        problems.push(
          `row count: manifest loaded ${t.rows} (+${skipped} already in the target), the live source maps to ${c.sourceRows} (did the source change since export?)`,
        );
      if (c.drills.length) {
        problems.push(
          `content differs in ${c.drills.length}${c.more ? '+' : ''} key segment${c.drills.length === 1 && !c.more ? '' : 's'}: source ${c.sourceChecksum}, target ${c.targetChecksum}`,
        );
        problems.push(...c.drills.map(describeDrill));
        if (c.more) problems.push('more differing key segments were not fetched');
      }
      problems.push(...((await integrityRun).get(tableKey(schema, table)) ?? []));
      const v: TableVerdict = {
        table: t.name,
        manifestRows: t.rows,
        sourceRows: c.sourceRows,
        targetRows: c.targetRows,
        sourceChecksum: c.sourceChecksum,
        targetChecksum: c.targetChecksum,
        ok: problems.length === 0,
        problems,
        notVerified,
        drill: c.drills[0],
        drills: c.drills,
        paths: c.paths,
      };
      verdicts.push(v);
      opts.log[v.ok ? 'info' : 'error'](
        { table: t.name, rows: c.targetRows, checksum: c.targetChecksum, problems, notVerified, paths: c.paths },
        v.ok ? 'table verified' : 'table differs',
      );
      await opts.recorder?.event({
        kind: 'table.verified',
        stage: 'verify',
        table: t.name,
        payload: {
          ...v,
          drill: v.drill
            ? { from: v.drill.from, to: v.drill.to, sourceRows: v.drill.sourceRows, targetRows: v.drill.targetRows }
            : undefined,
          drills: undefined,
        },
      });
    }
    if (expected) schemas = await checkExpectations(pg, expected);
    for (const s of schemas)
      opts.log[s.ok ? 'info' : 'error'](
        { schema: s.schema, problems: s.problems },
        s.ok ? 'schema matches expectations' : 'schema differs from expectations',
      );
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    if (!opts.sourceConnection) await my.end().catch(() => undefined);
    await myStream?.end().catch(() => undefined);
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await pg?.end().catch(() => undefined);
    await pgChecks?.end().catch(() => undefined);
  }
  const bad = verdicts.filter((v) => !v.ok);
  const badSchemas = schemas.filter((s) => !s.ok);
  if (bad.length || badSchemas.length) {
    const lines = [
      ...bad.map((v) => `  ${v.table}: ${v.problems.join('; ')}`),
      ...badSchemas.map((s) => `  schema ${s.schema}: ${s.problems.join('; ')}`),
    ];
    throw new ConvergeError(
      'VERIFY_FAILED',
      `${bad.length} of ${verdicts.length} tables differ${badSchemas.length ? `, ${badSchemas.length} schemas differ from expectations` : ''}:\n${lines.join('\n')}`,
      { stage: 'verify', table: bad[0]?.table, verdicts, schemas },
    );
  }
  return { tables: verdicts, schemas };
}

export function describeDrill(d: DrillDown): string {
  const k = (key: unknown[] | null) => (key === null ? '∞' : key.length === 1 ? String(key[0]) : `(${key.join(', ')})`);
  const cols = d.keyColumns.length ? d.keyColumns.join(', ') : 'row';
  const lines = [
    d.segment
      ? `differing ${d.segment} (${cols}): source ${d.sourceRows} rows, target ${d.targetRows} rows`
      : `first differing key range: ${cols} in [${d.from === null ? '-∞' : k(d.from)}, ${k(d.to)}): source ${d.sourceRows} rows, target ${d.targetRows} rows`,
  ];
  for (const c of d.changed ?? [])
    lines.push(
      `    row ${Object.entries(c.key)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')} differs in: ${c.columns.join(', ')}`,
    );
  for (const r of d.onlyInSource) lines.push(`    source only: ${JSON.stringify(r)}`);
  for (const r of d.onlyInTarget) lines.push(`    target only: ${JSON.stringify(r)}`);
  return lines.join('\n');
}

/** A column of a type with no canonical form: only NULL against not NULL is compared. */
const presenceOnly: Canon = () => '';

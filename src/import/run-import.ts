import path from 'node:path';
import type { Logger } from 'pino';
import type { Client } from 'pg';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, isConvergeError } from '../core/errors';
import { Manifest, ManifestTable, readManifest } from '../export/manifest';
import type { RunRecorder } from '../run/run-recorder';
import { openPg, qualifiedPg, quotePg } from '../target/postgres/connect';
import { PgCatalog, readPgCatalog, tableKey } from '../target/postgres/catalog';
import { copyIntoTable } from './copy-table';
import { LoadGroup, planLoadOrder } from './load-order';

export interface ImportOptions {
  dir: string;
  target: ConnectionInfo;
  truncate?: boolean;
  log: Logger;
  recorder?: RunRecorder;
}

export interface TableLoad {
  table: string;
  rows: number;
  preexisting: number;
  seconds: number;
  status: 'loaded' | 'failed' | 'not-run';
  error?: string;
}

export interface ImportResult {
  manifest: Manifest;
  plan: LoadGroup[];
  tables: TableLoad[];
  sequences: Array<{ sequence: string; value: string | null }>;
}

/** Splits "schema.table" (a mapping may target another schema) from the default schema. */
export function splitTarget(name: string, defaultSchema: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), table: name.slice(dot + 1) } : { schema: defaultSchema, table: name };
}

/**
 * Loads every transformed CSV into the target in foreign-key order, one transaction per table:
 * a table either holds all of its rows or none of this run's. Stops at the first rejected row.
 */
export async function runImport(opts: ImportOptions): Promise<ImportResult> {
  const manifest = await readManifest(opts.dir, 'converge-transform/1');
  const defaultSchema = manifest.targetSchema ?? 'public';
  const client = await openPg(opts.target, { applicationName: 'converge import' });
  try {
    const entries = Object.values(manifest.tables).map((t) => ({ t, ...splitTarget(t.name, defaultSchema) }));
    const schemas = [...new Set(entries.map((e) => e.schema))];
    const catalog = await readPgCatalog(client, schemas);
    const keyOf = (e: { schema: string; table: string }) => tableKey(e.schema, e.table);
    for (const e of entries) checkColumns(catalog, e.schema, e.table, e.t);
    const byKey = new Map(entries.map((e) => [keyOf(e), e]));
    const plan = planLoadOrder([...byKey.keys()], catalog.foreignKeys.map((f) => ({ child: tableKey(f.schema, f.table), parent: tableKey(f.refSchema, f.refTable) })));
    const pre = await preexistingRows(client, entries.map((e) => ({ key: keyOf(e), schema: e.schema, table: e.table, allowed: !!e.t.existing })));
    const blocked = [...pre].filter(([k, n]) => n > 0 && !byKey.get(k)!.t.existing);
    if (blocked.length && !opts.truncate) {
      throw new ConvergeError('TARGET_NOT_EMPTY', `target tables already hold rows: ${blocked.map(([k, n]) => `${k} (${n})`).join(', ')}; load into empty tables, or pass --truncate to empty them first`, { stage: 'import', table: blocked[0][0] });
    }
    if (blocked.length && opts.truncate) {
      // Every table of this load is emptied in one statement: a lone parent cannot be truncated
      // while a child references it. Tables with an existing-row policy keep their seeded rows.
      const all = entries.filter((e) => !e.t.existing);
      try {
        await client.query(`TRUNCATE ${all.map((e) => qualifiedPg(e.schema, e.table)).join(', ')}`);
      } catch (e) {
        throw new ConvergeError('TARGET_NOT_EMPTY', `--truncate failed: ${(e as Error).message} (a table outside this load references one being emptied)`, { stage: 'import' }, { cause: e });
      }
      for (const e of all) pre.set(keyOf(e), 0);
      opts.log.warn({ tables: all.map((e) => keyOf(e)) }, 'truncated the target tables of this load (--truncate)');
    }
    await opts.recorder?.event({ kind: 'stage.started', stage: 'import', payload: { plan: plan.map((g) => g.tables) } });
    const results: TableLoad[] = [];
    const order = plan.flatMap((g) => g.tables);
    let failure: ConvergeError | undefined;
    for (const key of order) {
      const e = byKey.get(key)!;
      if (failure) {
        results.push({ table: key, rows: 0, preexisting: pre.get(key) ?? 0, seconds: 0, status: 'not-run' });
        continue;
      }
      const started = Date.now();
      try {
        const rows = await loadOneTable(client, e.schema, e.table, e.t, opts.dir);
        const seconds = (Date.now() - started) / 1000;
        results.push({ table: key, rows, preexisting: pre.get(key) ?? 0, seconds, status: 'loaded' });
        opts.log.info({ table: key, rows, seconds }, 'table loaded');
        await opts.recorder?.event({ kind: 'table.loaded', stage: 'import', table: key, payload: { rows, seconds, preexisting: pre.get(key) ?? 0, bytes: e.t.bytes } });
      } catch (err) {
        failure = isConvergeError(err) ? err : new ConvergeError('LOAD_REJECTED', String(err), { table: key }, { cause: err });
        results.push({ table: key, rows: 0, preexisting: pre.get(key) ?? 0, seconds: (Date.now() - started) / 1000, status: 'failed', error: failure.message });
        await opts.recorder?.event({ kind: 'table.failed', stage: 'import', table: key, payload: { code: failure.code, message: failure.message, csvLine: failure.context.csvLine, column: failure.context.column, constraint: failure.context.constraint } });
      }
    }
    if (failure) throw failure;
    const sequences = await resetSequences(client, catalog, entries.map((e) => keyOf(e)));
    return { manifest, plan, tables: results, sequences };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function loadOneTable(client: Client, schema: string, table: string, t: ManifestTable, dir: string): Promise<number> {
  await client.query('BEGIN');
  try {
    const rows = await copyIntoTable(client, { schema, table, columns: t.columns.map((c) => c.name), files: [path.join(dir, t.file)] });
    if (rows !== t.rows) {
      throw new ConvergeError('LOAD_REJECTED', `COPY loaded ${rows} rows but the manifest lists ${t.rows}; the file changed after transform`, { stage: 'import', table, file: path.join(dir, t.file) });
    }
    await client.query('COMMIT');
    return rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

function checkColumns(catalog: PgCatalog, schema: string, table: string, t: ManifestTable): void {
  const pt = catalog.tables.get(tableKey(schema, table));
  if (!pt) throw new ConvergeError('TARGET_SCHEMA', `target table ${schema}.${table} does not exist; apply the target schema first (converge schema apply)`, { stage: 'import', table });
  const names = new Map(pt.columns.map((c) => [c.name, c]));
  for (const c of t.columns) {
    const pc = names.get(c.name);
    if (!pc) throw new ConvergeError('TARGET_SCHEMA', `target table ${schema}.${table} has no column "${c.name}"`, { stage: 'import', table, column: c.name });
    if (pc.generated) throw new ConvergeError('TARGET_SCHEMA', `column "${c.name}" is GENERATED on the target and cannot be loaded; drop it in the mapping`, { stage: 'import', table, column: c.name });
  }
}

async function preexistingRows(client: Client, tables: Array<{ key: string; schema: string; table: string; allowed: boolean }>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of tables) {
    const { rows } = await client.query(`SELECT count(*)::bigint AS n FROM ${qualifiedPg(t.schema, t.table)}`);
    out.set(t.key, Number(rows[0].n));
  }
  return out;
}

/** Moves every serial/identity sequence of the loaded tables past the highest loaded value. */
async function resetSequences(client: Client, catalog: PgCatalog, keys: string[]): Promise<ImportResult['sequences']> {
  const out: ImportResult['sequences'] = [];
  for (const k of keys) {
    const t = catalog.tables.get(k)!;
    for (const c of t.columns) {
      if (!c.sequence) continue;
      const { rows } = await client.query(
        `SELECT setval($1::regclass, COALESCE((SELECT max(${quotePg(c.name)}) FROM ${qualifiedPg(t.schema, t.name)}), 1), (SELECT max(${quotePg(c.name)}) IS NOT NULL FROM ${qualifiedPg(t.schema, t.name)}))::text AS v`,
        [c.sequence],
      );
      out.push({ sequence: c.sequence, value: rows[0].v });
    }
  }
  return out;
}

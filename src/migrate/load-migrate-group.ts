import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConvergeError, isConvergeError } from '../core/errors';
import { ChunkEncoder, encodeBatches } from '../csv/csv-chunks';
import { CsvFileWriter } from '../csv/csv-file-writer';
import type { GroupPlan, TablePlan } from '../target/postgres/load/load-plan';
import type { MysqlConnection } from '../source/mysql/connect';
import type { PgSession } from '../target/postgres/connect';
import { sourceRows } from '../source/mysql/row-source';
import type { PgForeignKey } from '../target/postgres/catalog';
import { inTransaction } from '../target/postgres/load/load-clients';
import { loadGroup } from '../target/postgres/load/load-group';
import { writeMarker } from '../target/postgres/load/load-markers';
import type { SeededTables } from '../target/postgres/load/replace-seeded';
import { countRows } from '../target/postgres/load/target-state';
import { unchangedCheck, UnchangedCheck } from '../transform/byte-table';
import { mapRows } from '../transform/map-rows';
import type { MigrateTable } from './migrate-tables';
import { streamFeed, withSourceKey } from './stream-feed';
import { programFile } from '../transform/table-program';

export interface TableOutcome {
  key: string;
  rowsIn: number;
  rows: number;
  bytes: number;
  seconds: number;
  /** The transformed CSV, when one was written (--keep-files, or a staged group). */
  file?: string;
  sha256?: string;
  /** How the rows went in: straight from MySQL into COPY, or through a file and the import's staged path. */
  path: 'streamed' | 'staged';
  /** How the table's own foreign keys were checked. */
  fkChecks?: 'per-row' | 'set-based';
}

export interface MigrateGroupContext {
  client: PgSession;
  conn: MysqlConnection;
  tables: Map<string, MigrateTable>;
  /** Where transformed CSVs are kept (--keep-files); otherwise staged groups' files go to scratchDir and are removed. */
  keepDir?: string;
  scratchDir: string;
  /** The target's foreign keys (to say how each table's were checked). */
  foreignKeys: PgForeignKey[];
  /** Tables whose own foreign keys are checked once per key after the COPY instead of per row. */
  setBased: Map<string, PgForeignKey[]>;
  /** replaceSeeded tables: those this group replaces lose their seeded rows in its transaction. */
  seeds?: SeededTables;
  /** No transaction of this run deletes target rows: plain indexes may be built after the rows (load-session.ts). */
  noParentDeletes?: boolean;
  /** Resolves when every group this one references has committed; awaited before the set-based check. */
  parentsCommitted: () => Promise<void>;
  /** Set when converge.run_events is writable: table.loaded is then written inside the table's transaction. */
  runId?: string;
  log: Logger;
}

/**
 * One group of the load plan in its own transaction: all of its rows or none, loaded by the
 * loader's one loadGroup. A lone table that needs no staging streams from MySQL through the
 * mapping into COPY; a foreign-key cycle, or a table the planner stages (cycle-closing columns,
 * GENERATED columns, `existing: replace`), is mapped into files first, so every guarantee of the
 * staged path holds for it unchanged.
 */
export async function loadMigrateGroup(g: GroupPlan, x: MigrateGroupContext): Promise<TableOutcome[]> {
  return inTransaction(x.client, async () => {
    const deleted = await x.seeds?.replaceWith(
      x.client,
      g.tables.map((t) => t.key),
    );
    if (deleted && Object.keys(deleted).length)
      x.log.info({ deleted }, 'replacing the target seeded rows in this group (replaceSeeded)');
    const out = isStreamable(g) ? [await streamTable(g, g.tables[0], x)] : await stagedGroup(g, x);
    for (const o of out) {
      const t = g.tables.find((p) => p.key === o.key)!;
      // A table with an `existing` policy may hold rows the load did not write (its migrations'
      // seed): the count after the load is what rollback tells the run's rows from them by.
      const total =
        t.replaceKey || x.tables.get(t.key)?.existing ? await countRows(x.client, t.schema, t.table) : undefined;
      if (x.runId)
        await writeMarker(x.client, x.runId, {
          kind: 'table.loaded',
          table: o.key,
          payload: { rows: o.rows, total, seconds: o.seconds, rejected: 0 },
        });
    }
    return out;
  });
}

/** A lone table the planner loads with a plain COPY (no cycle, no staging). */
export function isStreamable(g: GroupPlan): boolean {
  return !g.cycle && g.tables.length === 1 && !g.tables[0].staged;
}

async function streamTable(g: GroupPlan, t: TablePlan, x: MigrateGroupContext): Promise<TableOutcome> {
  const started = Date.now();
  const mt = x.tables.get(t.key)!;
  const src = sourceRows(x.conn, mt.source);
  const enc = new ChunkEncoder();
  // Without row policies a row is mapped and encoded as it leaves the packet (no batches).
  const direct = !mt.rule.unique.length && !mt.rule.dropRowsWithNull.length && !mt.existing;
  const chunks = direct
    ? src.encoded(
        (f, n, passed) => mt.compiled.transformRow(f, n, passed),
        sourceIndexes(mt),
        enc.lines,
        unchangedChecks(mt),
      )
    : encodeBatches(
        mapRows(mt.compiled, mt.rule, src.batches, { existing: mt.existing, origin: `mysql:${mt.source.name}` }),
        enc,
      );
  const tee = x.keepDir ? path.join(x.keepDir, programFile(mt)) : undefined;
  const stream = streamFeed({ columns: t.columns, chunks, lines: enc.lines, keys: src.keys, tee });
  const setBasedFks = x.setBased.get(t.key);
  let loaded: Map<string, { rows: number }>;
  let written: { bytes: number; sha256?: string };
  try {
    loaded = await loadGroup(x.client, g, {
      feed: () => stream.feed,
      setBasedFks,
      parentsCommitted: x.parentsCommitted,
      deferIndexes: x.noParentDeletes || undefined,
    });
    written = await stream.finish();
  } catch (e) {
    await stream.abort();
    throw e;
  }
  const { bytes, sha256 } = written;
  const rows = loaded.get(t.key)!.rows;
  if (rows !== enc.lines.records)
    throw new ConvergeError('INTERNAL', `sent ${enc.lines.records} rows of ${t.key} to COPY, which loaded ${rows}`, {
      stage: 'import',
      table: t.key,
    });
  const seconds = (Date.now() - started) / 1000;
  const hasKeys = x.foreignKeys.some((f) => f.schema === t.schema && f.table === t.table);
  const fkChecks = hasKeys ? (setBasedFks ? 'set-based' : 'per-row') : undefined;
  x.log.info({ table: t.key, rowsIn: src.rowsRead, rows, seconds, path: 'streamed', fkChecks }, 'table migrated');
  return { key: t.key, rowsIn: src.rowsRead, rows, bytes, seconds, file: tee, sha256, path: 'streamed', fkChecks };
}

/** Maps every table of the group into a CSV file, then loads the group as `converge import` does. */
async function stagedGroup(g: GroupPlan, x: MigrateGroupContext): Promise<TableOutcome[]> {
  const started = Date.now();
  const written = new Map<string, { file: string; rowsIn: number; rows: number; bytes: number; sha256: string }>();
  try {
    for (const t of g.tables) {
      const mt = x.tables.get(t.key)!;
      const file = path.join(x.keepDir ?? x.scratchDir, programFile(mt));
      const src = sourceRows(x.conn, mt.source);
      const writer = new CsvFileWriter(file, t.columns);
      try {
        for await (const batch of mapRows(mt.compiled, mt.rule, src.batches, {
          existing: mt.existing,
          origin: `mysql:${mt.source.name}`,
        })) {
          for (const r of batch) writer.append(r.fields);
          await writer.flushIfFull();
        }
      } catch (e) {
        await writer.destroy();
        await fsp.rm(file, { force: true });
        throw isConvergeError(e) ? withSourceKey(e, src.keys) : e;
      }
      const w = await writer.close();
      written.set(t.key, { file, rowsIn: src.rowsRead, ...w });
    }
    const plan: GroupPlan = { ...g, tables: g.tables.map((t) => ({ ...t, files: [written.get(t.key)!.file] })) };
    const loaded = await loadGroup(x.client, plan);
    const seconds = (Date.now() - started) / 1000;
    return g.tables.map((t) => {
      const w = written.get(t.key)!;
      const n = loaded.get(t.key)!.rows;
      if (n !== w.rows)
        throw new ConvergeError('INTERNAL', `mapped ${w.rows} rows of ${t.key} but loaded ${n}`, {
          stage: 'import',
          table: t.key,
        });
      x.log.info({ table: t.key, rowsIn: w.rowsIn, rows: n, seconds, path: 'staged', group: g.id }, 'table migrated');
      return {
        key: t.key,
        rowsIn: w.rowsIn,
        rows: n,
        bytes: w.bytes,
        seconds,
        file: x.keepDir ? w.file : undefined,
        sha256: x.keepDir ? w.sha256 : undefined,
        path: 'staged' as const,
      };
    });
  } finally {
    if (!x.keepDir) for (const w of written.values()) await fsp.rm(w.file, { force: true });
  }
}

/**
 * For each target column, the index of the source column it is mapped from (-1 for added
 * columns), read from the rule in the order compileTable lays the columns out. If that order
 * ever differs from the compiled target columns, no column is copied as bytes.
 */
export function sourceIndexes(mt: MigrateTable): number[] {
  const index = new Map(mt.source.columns.map((c, i) => [c.name, i]));
  const mapped = [...mt.rule.columns.values()].filter((c) => !c.drop);
  const from = mt.compiled.targetColumns.map((to, j) =>
    j < mapped.length && mapped[j].to === to ? (index.get(mapped[j].source) ?? -1) : -1,
  );
  const consistent = mapped.every((c, j) => mt.compiled.targetColumns[j] === c.to);
  return consistent ? from : from.map(() => -1);
}

/**
 * By source column: the byte check that vouches its value passes its target column unchanged
 * (byte-table.ts), for columns that feed one mapped column and no added (concat) column.
 */
export function unchangedChecks(mt: MigrateTable): Array<UnchangedCheck | undefined> {
  const checks: Array<UnchangedCheck | undefined> = mt.source.columns.map(() => undefined);
  const concatSources = new Set(mt.compiled.added.flatMap((a) => a.concat?.from ?? []));
  for (const slot of mt.compiled.slots) {
    // A binary column's packet bytes are the raw value, not the \x text the byte checks read.
    if (slot.encoding === 'hex') continue;
    if (!concatSources.has(slot.from)) checks[slot.from] = unchangedCheck(slot, mt.compiled.timezone);
  }
  return checks;
}

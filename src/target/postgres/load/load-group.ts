import type { Client } from 'pg';
import { ConvergeError } from '../../../core/errors';
import { qualifiedPg, quotePg } from '../connect';
import type { PgForeignKey } from '../catalog';
import {
  copyFeed,
  CopyFeed,
  copyIntoTable,
  CopyRequest,
  CopyTarget,
  describeCopyError,
  fileLocator,
} from './copy-table';
import { dropIndexesForLoad, rebuildIndexes } from './deferred-indexes';
import { checkForeignKeys } from './fk-validation';
import type { GroupPlan, TablePlan } from './load-plan';
import { rowWithValues } from './locate-row';
import { disableTrigger, restoreTrigger } from './user-triggers';
import { loadTableCarefully, RejectSink } from './reject-rows';
import { deleteReplaced, insertSelect } from './staged-sql';

/**
 * Loads one group of the plan on a client that is already inside a transaction. Every foreign
 * key holds at the end of every statement, or (setBasedFks, a lone table the caller found
 * eligible) is proven once for the whole table before the commit:
 * - cycle-closing nullable FK columns go in as NULL through a staging table and are set from
 *   it once every table of the group is loaded;
 * - the group's enabled user triggers are disabled by name for the load and restored to their
 *   exact state (ENABLE / ENABLE ALWAYS / ENABLE REPLICA) before the caller commits. Both are
 *   ALTER TABLE in the transaction, so a crash or a rollback leaves them as they were. It needs
 *   ownership of the table, not superuser.
 * Returns rows inserted and seconds spent per table key.
 */
export interface LoadGroupOptions {
  /** --collect-errors: load row by row past rejected rows into this sink. */
  reject?: RejectSink;
  /** A lone table whose foreign keys are proven once after its COPY (the caller found it eligible). */
  setBasedFks?: PgForeignKey[];
  /**
   * Resolves when every group this one references has committed. A table the scheduler started
   * early (set-based checks) loads its rows first and awaits this before proving its keys.
   */
  parentsCommitted?: () => Promise<void>;
  /** Where a table's rows come from: its plan's CSV files unless given (migrate streams them). */
  feed?: (t: TablePlan) => CopyFeed;
  /**
   * Build an empty table's plain indexes after its rows (deferred-indexes.ts). The drop holds the
   * table's ACCESS EXCLUSIVE lock to COMMIT, so by default a table that may wait for its parents
   * to commit (setBasedFks with parentsCommitted: it may have started early) keeps its indexes:
   * a parent transaction that deletes rows (replaceSeeded, `existing: replace`) reads the child
   * through its foreign-key triggers and would wait on that lock while the child waits on it.
   * true: the caller knows no parent transaction deletes rows; false: never.
   */
  deferIndexes?: boolean;
}

export async function loadGroup(
  client: Client,
  group: GroupPlan,
  o: LoadGroupOptions = {},
): Promise<Map<string, { rows: number; seconds: number }>> {
  const rows = new Map<string, { rows: number; seconds: number }>();
  if (group.deferred.length) await client.query(`SET CONSTRAINTS ALL DEFERRED`);
  for (const t of group.tables) for (const trg of t.triggers) await disableTrigger(client, { ...t, ...trg });
  const stages = new Map<string, string>();
  for (const t of group.tables) {
    const started = Date.now();
    const stage = t.staged ? await createStage(client, t, stages.size) : undefined;
    if (stage) stages.set(t.key, stage);
    const copy = () => (o.feed ? copyFeed(client, copyTarget(t), o.feed(t)) : copyIntoTable(client, copyRequest(t)));
    // A plain COPY into an empty table: its plain indexes are built once after the rows, in this transaction.
    const defer = !o.reject && !stage && (o.deferIndexes ?? !(o.setBasedFks && o.parentsCommitted));
    const deferred = defer ? await dropIndexesForLoad(client, t.schema, t.table) : [];
    const n = o.reject
      ? await loadTableCarefully(client, t, stage, o.reject)
      : stage
        ? await loadStaged(client, t, stage)
        : o.setBasedFks
          ? await copyCheckingKeysOnce(client, t, o.setBasedFks, copy, o.parentsCommitted)
          : await copy();
    if (deferred.length) await rebuildIndexes(client, { ...t, label: labelOf(t) }, deferred);
    rows.set(t.key, { rows: n, seconds: (Date.now() - started) / 1000 });
  }
  for (const t of group.tables) if (t.nullFirst.length) await setNullFirst(client, t, stages.get(t.key)!);
  for (const t of group.tables) for (const trg of t.triggers) await restoreTrigger(client, { ...t, ...trg });
  for (const s of stages.values()) await client.query(`DROP TABLE IF EXISTS pg_temp.${quotePg(s)}`);
  return rows;
}

/**
 * COPY with the row-level foreign-key triggers off, then every foreign key proven by one
 * anti-join before the caller commits (fk-validation.ts; the caller checked the role may). A
 * violation names the CSV file, line and row that hold the missing key, as a per-row check would.
 */
async function copyCheckingKeysOnce(
  client: Client,
  t: TablePlan,
  fks: PgForeignKey[],
  copy: () => Promise<number>,
  parentsCommitted?: () => Promise<void>,
): Promise<number> {
  await client.query('SET LOCAL session_replication_role = replica');
  const n = await copy();
  // Rows may have gone in before the parents committed (the scheduler may start this table early).
  await parentsCommitted?.();
  try {
    await checkForeignKeys(client, fks, t.primaryKey, labelOf(t));
  } catch (e) {
    throw await withCsvRow(e, t, fks);
  }
  await client.query('SET LOCAL session_replication_role = origin');
  return n;
}

async function withCsvRow(e: unknown, t: TablePlan, fks: PgForeignKey[]): Promise<unknown> {
  if (!(e instanceof ConvergeError) || !e.context.row || !e.context.constraint) return e;
  const fk = fks.find((f) => f.name === e.context.constraint);
  if (!fk) return e;
  const row = e.context.row as Record<string, string | null>;
  const key = Object.fromEntries(fk.columns.map((c) => [c, row[c] ?? '']));
  for (const file of t.files) {
    const located = await rowWithValues(file, key).catch(() => undefined);
    if (located)
      return new ConvergeError(
        e.code,
        e.message,
        { ...e.context, file, csvLine: located.csvLine, row: located.row },
        { cause: e.cause },
      );
  }
  return e;
}

/** An empty temporary table with the CSV's columns typed as the target's (generated ones as plain). */
async function createStage(client: Client, t: TablePlan, n: number): Promise<string> {
  const name = `converge_stage_${n}_${t.table}`.slice(0, 63);
  await client.query(`DROP TABLE IF EXISTS pg_temp.${quotePg(name)}`);
  await client.query(
    `CREATE TEMP TABLE ${quotePg(name)} ON COMMIT DROP AS SELECT ${t.columns.map(quotePg).join(', ')} FROM ${qualifiedPg(t.schema, t.table)} WITH NO DATA`,
  );
  return name;
}

async function loadStaged(client: Client, t: TablePlan, stage: string): Promise<number> {
  const copied = await copyIntoTable(client, { ...copyRequest(t), schema: 'pg_temp', table: stage });
  const del = deleteReplaced(t, stage);
  try {
    if (del) await client.query(del);
    const res = await client.query(insertSelect(t, stage));
    if (res.rowCount !== copied)
      throw new ConvergeError('INTERNAL', `staged ${copied} rows of ${t.key} but inserted ${res.rowCount}`, {
        stage: 'import',
        table: t.key,
      });
    return copied;
  } catch (e) {
    if (e instanceof ConvergeError) throw e;
    throw await describeInsertError(e, t);
  }
}

/** A failed INSERT … SELECT carries the key, not the line: find the row in whichever file has it. */
async function describeInsertError(e: unknown, t: TablePlan): Promise<ConvergeError> {
  let best: ConvergeError | undefined;
  for (const file of t.files) {
    best = await describeCopyError(e, copyTarget(t), fileLocator(file));
    if (best.context.csvLine !== undefined) return best;
  }
  return best!;
}

/** Sets the cycle-closing columns from the staged rows, now that the rows they point to exist. */
async function setNullFirst(client: Client, t: TablePlan, stage: string): Promise<void> {
  const set = t.nullFirst.map((c) => `${quotePg(c)} = s.${quotePg(c)}`).join(', ');
  const on = t.primaryKey.map((k) => `t.${quotePg(k)} = s.${quotePg(k)}`).join(' AND ');
  const any = t.nullFirst.map((c) => `s.${quotePg(c)} IS NOT NULL`).join(' OR ');
  try {
    await client.query(
      `UPDATE ${qualifiedPg(t.schema, t.table)} t SET ${set} FROM pg_temp.${quotePg(stage)} s WHERE ${on} AND (${any})`,
    );
  } catch (e) {
    throw await describeInsertError(e, t);
  }
}

function copyTarget(t: TablePlan): CopyTarget {
  return { schema: t.schema, table: t.table, columns: t.columns, label: labelOf(t) };
}

function copyRequest(t: TablePlan): CopyRequest {
  return { ...copyTarget(t), files: t.files };
}

/** How errors name a table: bare in public (as operators write it), qualified elsewhere. */
export function labelOf(t: TablePlan): string {
  return t.schema === 'public' ? t.table : t.key;
}

import { ConvergeError, isConvergeError } from '../core/errors';
import type { RowChange } from '../source/mysql/binlog/binlog-reader';
import type { TableProgram } from '../transform/table-program';
import { jsonKey, nullDropIndexes } from '../transform/map-rows';
import { advise, existingRowText } from '../mapping/value-advice';
import { followKeyLimit, followLimit } from '../mapping/check/follow-limits';
import type { ApplyOp, ApplyTable } from '../target/postgres/follow/apply-changes';

/** A table the follow applies changes to: its program, and the target table its writes go to. */
export interface FollowTable {
  program: TableProgram<unknown>;
  /** Columns, key and keep-newest columns of the target (see apply-changes). */
  target: ApplyTable;
  nullDrop: number[];
  /** existing: skip | fail — the natural keys the target held before the load, and their columns. */
  existing?: { policy: 'skip' | 'fail' | 'replace'; idx: number[]; keys: Set<string> };
  /** keep-newest: the source columns the unique columns are mapped from (to find displaced rows again). */
  refill?: number[];
  /** The source primary key's columns, as indexes into a row image. */
  sourceKeyIdx: number[];
}

/** The keys a change touched: its images' source keys and the target keys they map to (JSON arrays). */
export interface Touched {
  source: Set<string>;
  target: Set<string>;
}

/**
 * keep-newest: the row holding a unique key left it (deleted, or its key changed). The rows it
 * had displaced must come back, as the snapshot would keep the best of them: the follower
 * looks them up in the source by the source values the key was mapped from (refillOps).
 */
export interface VacatedKey {
  op: 'vacated';
  follow: FollowTable;
  /** The departed row's source values of the `refill` columns. */
  sourceValues: Array<string | null>;
  /** The mapped unique key it held. */
  key: Array<string | null>;
}

export type FollowOp = ApplyOp | VacatedKey;

/**
 * A source row change as target writes, through the same compiled program and row policies as a
 * snapshot row: each image is mapped, then kept or dropped as the snapshot load would keep or
 * drop it (dropRowsWithNull, existing: skip); an insert becomes an update when both images are
 * kept, an insert when only the new one is, a delete when only the old one is. Pure: the
 * caller applies the ops in order in one target transaction.
 */
export function planChange(c: RowChange, t: FollowTable, touched?: Touched): FollowOp[] {
  const before = c.before ? mapImage(c, c.before, t) : undefined;
  const after = c.after ? mapImage(c, c.after, t) : undefined;
  if (touched) {
    // Both images, kept or not: the switch's proof compares every row these keys name.
    for (const img of [c.before, c.after]) if (img) touched.source.add(JSON.stringify(pick(img, t.sourceKeyIdx)));
    for (const f of [before, after]) if (f) touched.target.add(JSON.stringify(pick(f, t.target.keyIdx)));
  }
  const keptBefore = before !== undefined && kept(before, t);
  const keptAfter = after !== undefined && kept(after, t);
  if (after && keptAfter && t.existing?.policy === 'fail' && c.kind === 'insert') {
    const k = jsonKey(after, t.existing.idx);
    if (k !== undefined && t.existing.keys.has(k))
      throw new ConvergeError('DUPLICATE_ROW', existingRowError(t, pick(after, t.existing.idx).join(', ')), {
        stage: 'follow',
        table: c.table,
      });
  }
  const table = t.target;
  const where = keptBefore ? pick(before!, table.keyIdx) : undefined;
  if (table.newest) {
    const out: FollowOp[] = [];
    if (keptAfter) out.push({ op: 'newest', table, where, values: after! });
    // The row may have lost to a newer one on its unique key: then it is not there to remove.
    else if (where) out.push({ op: 'delete', table, where, missingOk: true });
    // Whenever the row that held a key changes (deleted, moved to another key, or its newest
    // value lowered), a row it displaced may now be the one the snapshot would keep.
    if (keptBefore && t.refill) {
      const key = pick(before!, table.newest.uniqueIdx);
      if (!key.includes(null))
        out.push({ op: 'vacated', follow: t, key, sourceValues: t.refill.map((k) => c.before![k]) });
    }
    return out;
  }
  if (keptBefore && keptAfter) return [{ op: 'update', table, where: where!, values: after! }];
  if (keptAfter) return [{ op: 'insert', table, values: after! }];
  if (keptBefore) return [{ op: 'delete', table, where: where!, missingOk: false }];
  return [];
}

/**
 * The rows found again for a vacated key, as writes: each one the mapping keeps with that key
 * competes for it as a new row would (newest), so the best of them holds it, as in the snapshot.
 */
export function refillOps(v: VacatedKey, candidates: Array<Array<string | null>>): ApplyOp[] {
  const t = v.follow;
  const out: ApplyOp[] = [];
  for (const fields of candidates) {
    const f = mapImage({ table: t.program.sourceName, kind: 'update' }, fields, t);
    if (!kept(f, t)) continue;
    if (pick(f, t.target.newest!.uniqueIdx).every((x, i) => x === v.key[i]))
      out.push({ op: 'newest', table: t.target, values: f });
  }
  return out;
}

function mapImage(
  c: Pick<RowChange, 'table' | 'kind'>,
  fields: Array<string | null>,
  t: FollowTable,
): Array<string | null> {
  try {
    return t.program.compiled.transformRow(fields, 0);
  } catch (e) {
    if (!isConvergeError(e)) throw e;
    // No CSV line here: the row is named by its source key (the program's first columns are not it).
    const { csvLine: _line, file: _file, ...rest } = e.context;
    throw new ConvergeError(
      e.code,
      `${e.message} (a ${c.kind} of ${c.table} in the binary log)`,
      {
        ...rest,
        stage: 'follow',
        table: c.table,
      },
      { cause: e },
    );
  }
}

/** Whether the snapshot load would have kept this mapped row (the row policies that judge one row alone). */
function kept(f: ReadonlyArray<string | null>, t: FollowTable): boolean {
  for (const i of t.nullDrop) if (f[i] === null) return false;
  if (t.existing?.policy === 'skip') {
    const k = jsonKey(f, t.existing.idx);
    if (k !== undefined && t.existing.keys.has(k)) return false;
  }
  return true;
}

function pick(f: ReadonlyArray<string | null>, idx: number[]): Array<string | null> {
  return idx.map((i) => f[i]);
}

/** The words transform and `map check --probe` give for a key the target holds under `existing: fail`. */
function existingRowError(t: FollowTable, values: string): string {
  const key = t.program.rule.existing!.key;
  return `${existingRowText(t.program.targetName, key, values)}: ${advise('existing-row', {}, { columns: key }).words}`;
}

/**
 * Binds a program to the target for following: the target's primary key (a table without one
 * cannot be written row by row), the row policies that can act on one change at a time, and
 * those that cannot (followLimit: unique keep-first / fail, which row the snapshot keeps depends
 * on rows the change does not carry), refused by name at the rule's file and line — the same
 * judgement map check --follow makes before anything runs.
 */
export function followTable(
  program: TableProgram<unknown>,
  keys: { source: string[]; target: string[]; sourceIdx: number[] },
  existingKeys: Set<string> | undefined,
  /** Target columns generated ALWAYS AS IDENTITY. */
  generatedAlways: string[] = [],
): FollowTable {
  const cols = program.compiled.targetColumns;
  const where = { stage: 'follow' as const, table: program.sourceName, ...program.rule.at };
  const keyLimit = followKeyLimit({
    source: program.sourceName,
    sourceKey: keys.source,
    target: program.key,
    targetKey: keys.target,
    loaded: cols,
  });
  if (keyLimit) throw new ConvergeError(keyLimit.code, keyLimit.message, where);
  const limit = followLimit(program.rule);
  if (limit)
    throw new ConvergeError('FOLLOW_UNSUPPORTED', `the mapping of ${limit.table}: ${limit.message}; ${limit.advice}`, {
      ...where,
      ...limit.at,
    });
  const uniques = program.rule.unique;
  const ex = program.rule.existing;
  const u = uniques[0];
  // Each unique column straight from one source column: displaced rows can be looked up by them.
  const slots = u ? u.columns.map((c) => program.compiled.slots.find((s) => s.to === c)) : [];
  const refill = u && slots.every((s) => s !== undefined) ? slots.map((s) => s!.from) : undefined;
  return {
    program,
    target: {
      schema: program.schema,
      table: program.table,
      columns: cols,
      keyIdx: keys.target.map((k) => cols.indexOf(k)),
      newest: u
        ? { uniqueIdx: u.columns.map((c) => cols.indexOf(c)), newestIdx: u.newest ? cols.indexOf(u.newest) : -1 }
        : undefined,
      fixed: cols.map((c, i) => (generatedAlways.includes(c) ? i : -1)).filter((i) => i >= 0),
    },
    nullDrop: nullDropIndexes(program.rule, cols),
    existing: ex
      ? { policy: ex.policy, idx: ex.key.map((k) => cols.indexOf(k)), keys: existingKeys ?? new Set() }
      : undefined,
    refill,
    sourceKeyIdx: keys.sourceIdx,
  };
}

import { hash } from 'node:crypto';
import { isConvergeError } from '../core/errors';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import { sourceRows } from '../source/mysql/row-source';
import type { PgTable } from '../target/postgres/catalog';
import type { UniqueIndex } from '../target/postgres/constraints';
import type { AdviceTarget, ValueProblem } from '../mapping/value-advice';
import { targetKind } from '../mapping/type-rules';
import { NULL_SENTINEL } from '../transform/compile-column';
import { compileTable, CompiledTable } from '../transform/compile-table';
import { jsonKey, nullDropIndexes } from '../transform/map-rows';
import { ValueError } from '../transform/transforms/value-error';
import type { Mapping, TableRule } from '../mapping/load-mapping';
import { keyForm, sourceKeyHolds } from '../mapping/check/probe-duplicates';
import type { KeyForm } from '../source/mysql/column-facts';
import { ProbeTally } from './probe-tally';
import { Fit, targetFit } from '../mapping/check/target-fit';

export interface ProgramProbeOptions {
  /** Read at most this many rows per table (the first in key order); all when undefined. */
  sample?: number;
  lookups: Map<string, Map<string, string>>;
  /** "schema.table" → the target's unique indexes. */
  uniques: Map<string, UniqueIndex[]>;
  /** "schema.table.column" → labels its CHECK constraints allow. */
  checkLabels: Map<string, string[]>;
  /**
   * "schema.table" → the natural keys the target already holds (JSON arrays of text, as
   * existingKeys reads them), for tables with an `existing` policy: skip and replace are
   * counted as the transform counts them, fail is a problem, as the load will refuse.
   */
  existing?: Map<string, Set<string>>;
  /** The "schema.table" key of a target table, as checkLabels and uniques name it. */
  keyOf(t: PgTable): string;
}

/**
 * `map check --probe`: every mapped source table streamed through the table program the
 * transform and migrate run (the same compileTable, every declared rule applied), nothing
 * written. Unlike the transform it does not stop at the first bad value: each value the program
 * rejects, each value the target column would refuse (target-fit.ts, on the program's output),
 * each key a target unique index would refuse, and each change the ledger counts is tallied per
 * column with its first row. Reads on one connection of one snapshot.
 */
export async function probePrograms(
  conn: MysqlConnection,
  mapping: Mapping,
  sources: MysqlTable[],
  targetOf: (name: string) => PgTable | undefined,
  o: ProgramProbeOptions,
): Promise<ProbeTally> {
  const tally = new ProbeTally(o.sample);
  const byName = new Map(sources.map((s) => [s.name, s]));
  for (const rule of mapping.tables.values()) {
    const src = byName.get(rule.source);
    const tgt = targetOf(rule.target);
    if (rule.skip || !src || !tgt) continue;
    const probed = probeableRule(rule, src);
    let compiled: CompiledTable;
    try {
      compiled = compileTable(
        probed,
        src.columns.map((c) => ({ name: c.name, encoding: exportEncoding(c) })),
        { timezone: mapping.timezone, lookups: o.lookups, origin: `mysql:${src.name}` },
      );
    } catch (e) {
      // A rule that does not compile is reported by the static checks; its data cannot be probed.
      if (isConvergeError(e)) continue;
      throw e;
    }
    await probeTable(conn, probed, src, tgt, compiled, tally, o);
  }
  return tally;
}

async function probeTable(
  conn: MysqlConnection,
  rule: TableRule,
  src: MysqlTable,
  tgt: PgTable,
  compiled: CompiledTable,
  tally: ProbeTally,
  o: ProgramProbeOptions,
): Promise<void> {
  const started = Date.now();
  const { slots, added, targetColumns: cols } = compiled;
  const nSlots = slots.length;
  const fromOf = (j: number) => (j < nSlots ? rule.columns.get(src.columns[slots[j].from].name)! : undefined);
  const fits: Array<Fit | undefined> = cols.map((c, j) => {
    const pc = tgt.columns.find((x) => x.name === c);
    return pc && targetFit(pc, fromOf(j)?.type, o.checkLabels.get(`${o.keyOf(tgt)}.${c}`));
  });
  const colOf = (j: number) => fromOf(j)?.source ?? `add.${cols[j]}`;
  // What the advice needs of each target column: its kind, whether it takes NULL.
  const targets: AdviceTarget[] = cols.map((c) => {
    const pc = tgt.columns.find((x) => x.name === c);
    return pc ? { kind: targetKind(pc), nullable: !pc.notNull, column: c } : { column: c };
  });
  const nullDrop = nullDropIndexes(rule, cols);
  const keys = keyIndexes(rule, src, cols, o.uniques.get(o.keyOf(tgt)) ?? []);
  const seen = keys.map(() => new Set<string>());
  const existing = existingCheck(rule, cols, o.existing?.get(o.keyOf(tgt)));

  const rows = sourceRows(conn, src, { limit: o.sample });
  const keyText = (line: number) => {
    const k = rows.keys.keyOf(line);
    return k ? `(${k.join(', ')})` : `row ${line}`;
  };
  let line = 0;
  // Every change the ledger counts, with the row it was first counted on.
  compiled.ledger.onChange = (column, kind) => tally.change(rule, column, kind, line, keyText);
  const out: Array<string | null> = new Array(cols.length);
  const bad = new Uint8Array(cols.length);
  let bytes = 0;
  try {
    for await (const batch of rows.batches()) {
      for (const r of batch) {
        line = r.line;
        const f = r.fields;
        for (let k = 0; k < f.length; k++) bytes += f[k]?.length ?? 0;
        for (let j = 0; j < nSlots; j++) {
          bad[j] = 0;
          try {
            const v = slots[j].fn(f[slots[j].from]);
            out[j] = v === NULL_SENTINEL ? null : v;
          } catch (e) {
            if (!(e instanceof ValueError)) throw e;
            bad[j] = 1;
            const c = fromOf(j)!;
            const p = e.problem ?? 'value-invalid';
            tally.problem(rule, c.source, cols[j], c.at, targets[j], p, line, keyText, f[slots[j].from], e.message);
          }
        }
        for (let a = 0; a < added.length; a++) out[nSlots + a] = added[a].make(f);
        if (nullDrop.some((j) => !bad[j] && out[j] === null)) {
          compiled.ledger.add(cols[nullDrop.find((j) => out[j] === null)!], 'nullRowDropped');
          continue;
        }
        for (let j = 0; j < cols.length; j++) {
          const fit = fits[j];
          if (!fit || bad[j]) continue;
          const p = fit(out[j]);
          if (p)
            tally.problem(
              rule,
              colOf(j),
              cols[j],
              fromOf(j)?.at ?? rule.at,
              targets[j],
              p,
              line,
              keyText,
              out[j],
              undefined,
            );
        }
        // As mapRows: a row a keep-* policy drops is checked against no later key.
        let dropped = false;
        for (let u = 0; u < keys.length && !dropped; u++) {
          const k = keys[u];
          if (k.idx.some((j) => bad[j] || out[j] === null)) continue;
          const d = digest(k.idx.map((j) => out[j] as string));
          if (!seen[u].has(d)) {
            seen[u].add(d);
            continue;
          }
          const at = k.idx.map((j) => out[j]).join(', ');
          if (k.policy === 'fail') tally.duplicate(rule, k.columns, k.index, line, keyText, at);
          else {
            compiled.ledger.add(k.columns.join('+'), 'duplicateDropped');
            dropped = true;
          }
        }
        if (existing && !dropped && !existing.idx.some((j) => bad[j])) {
          const held = jsonKey(out, existing.idx);
          if (held !== undefined && existing.keys.has(held)) {
            if (existing.policy === 'fail')
              tally.existing(rule, existing.columns, line, keyText, existing.idx.map((j) => out[j]).join(', '));
            else
              compiled.ledger.add(
                existing.columns.join('+'),
                existing.policy === 'skip' ? 'existingSkipped' : 'existingReplaced',
              );
          }
        }
      }
    }
  } finally {
    compiled.ledger.onChange = undefined;
  }
  tally.table(rule.source, rows.rowsRead, bytes, (Date.now() - started) / 1000);
}

/**
 * The rule as far as it binds to the source: the columns the static checks report as unknown,
 * unmapped, fed twice or named by a policy that loads no such column are left out, so one broken
 * entry does not hide the data problems of every other column of the table. Every rule the
 * mapping declares for a column that exists is kept as it is.
 */
export function probeableRule(rule: TableRule, src: MysqlTable): TableRule {
  const names = new Set(src.columns.map((c) => c.name));
  const columns = new Map<string, TableRule['columns'] extends Map<string, infer C> ? C : never>();
  const fed = new Set<string>();
  for (const [k, c] of rule.columns) {
    if (!names.has(c.source) || (!c.drop && fed.has(c.to))) continue;
    if (!c.drop) fed.add(c.to);
    columns.set(k, c);
  }
  const drop = new Set([...rule.drop].filter((d) => names.has(d)));
  for (const n of names) if (!columns.has(n)) drop.add(n);
  const add = Object.fromEntries(
    Object.entries(rule.add).filter(([to, a]) => !fed.has(to) && (a.concat ?? []).every((n) => names.has(n))),
  );
  const targets = new Set([...fed, ...Object.keys(add)]);
  const loads = (cs: string[]) => cs.every((c) => targets.has(c));
  return {
    ...rule,
    columns,
    drop,
    add,
    unique: rule.unique.filter((u) => loads(u.columns) && (!u.newest || targets.has(u.newest))),
    existing: rule.existing && loads(rule.existing.key) ? rule.existing : undefined,
    dropRowsWithNull: rule.dropRowsWithNull.filter((c) => targets.has(c)),
  };
}

interface ExistingCheck {
  policy: 'skip' | 'replace' | 'fail';
  columns: string[];
  idx: number[];
  keys: Set<string>;
}

/** The table's `existing` policy against the keys the target holds, or undefined when there is none to apply. */
function existingCheck(rule: TableRule, cols: string[], keys: Set<string> | undefined): ExistingCheck | undefined {
  const ex = rule.existing;
  if (!ex || !keys?.size) return undefined;
  const idx = ex.key.map((c) => cols.indexOf(c));
  if (idx.some((i) => i < 0)) return undefined;
  return { policy: ex.policy, columns: ex.key, idx, keys };
}

interface KeyCheck {
  /** The target's unique index; none for a `unique` policy of the mapping. */
  index?: string;
  columns: string[];
  idx: number[];
  /** fail: a repeat is a problem; keep-*: the transform drops it (a change). */
  policy: 'fail' | 'keep';
}

/**
 * The keys to watch for repeats: each `unique` policy of the rule, and each target unique index
 * no policy handles, unless the source's own primary key already proves it (probe-duplicates.ts).
 */
function keyIndexes(rule: TableRule, src: MysqlTable, cols: string[], indexes: UniqueIndex[]): KeyCheck[] {
  const out: KeyCheck[] = [];
  for (const u of rule.unique) {
    const idx = u.columns.map((c) => cols.indexOf(c));
    if (idx.every((i) => i >= 0)) out.push({ columns: u.columns, idx, policy: u.policy === 'fail' ? 'fail' : 'keep' });
  }
  for (const ix of indexes) {
    if (
      rule.unique.some((u) => u.columns.length === ix.columns.length && u.columns.every((c) => ix.columns.includes(c)))
    )
      continue;
    const idx = ix.columns.map((c) => cols.indexOf(c));
    if (idx.some((i) => i < 0)) continue;
    const feeders = ix.columns.map((c) => [...rule.columns.values()].find((r) => !r.drop && r.to === c));
    const forms = feeders.map((r) => r && keyForm(r));
    if (
      forms.every((f) => f !== undefined) &&
      sourceKeyHolds(
        src,
        feeders.map((r) => r!.source),
        forms as KeyForm[],
      )
    )
      continue;
    out.push({ index: ix.name, columns: ix.columns, idx, policy: 'fail' });
  }
  return out;
}

/** Short keys as their JSON text, longer ones as a 160-bit digest: memory per key stays small. */
function digest(parts: string[]): string {
  const k = JSON.stringify(parts);
  return k.length <= 40 ? k : hash('sha1', k, 'base64');
}

export type { ValueProblem };

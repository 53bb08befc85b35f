import type { ColumnRule, TableRule } from '../mapping/load-mapping';
import type { MysqlColumn } from '../source/mysql/catalog';
import type { MysqlHashColumn, MysqlTextKind } from '../source/mysql/verify-hash';
import type { PgColumn, PgValueType } from '../target/postgres/catalog';
import { pgHashText, pgPresenceText } from '../target/postgres/verify/hash-text';
import { quotePg } from '../target/postgres/connect';
import type { CompiledTable } from '../transform/compile-table';
import { Canon, canonicalFor, numericScale } from './canonical';
import { jsHashText } from './hash-text';

/**
 * How verify hashes one table, decided before any row is read. Every target column is hashed in
 * Postgres (pgHashText). On the source, a column whose mapping MySQL can mirror in SQL (a copy, a
 * type change with a fixed text form) is hashed by MySQL (`sql`); any other (a regex, a lookup,
 * a case change, JSON, floats, arrays, added columns) goes through the table program and is hashed
 * by converge as the rows stream (`stream`). Key segments: integer key ranges when the key is
 * one integer column, hash buckets of the key otherwise. Tables whose rows a policy filters
 * (unique, existing, dropRowsWithNull), without a key, or with a type that has no hash form, are
 * compared whole (`whole`, with the reason).
 */
export interface HashPlan {
  mode: 'range' | 'hash' | 'whole';
  reason?: string;
  columns: ColumnPlan[];
  /** Target key columns (indexes into columns), and for range mode the source key column. */
  keyIdx: number[];
  sourceKey?: string;
}

export interface ColumnPlan {
  name: string;
  path: 'sql' | 'stream';
  /** Postgres hash text expression. */
  pg: string;
  /** Source SQL, for `sql` columns. */
  mysql?: MysqlHashColumn;
  /** The hash text of a mapped value, for `stream` columns and the key. */
  js: Canon;
  /** The type `js` is jsHashText of (a worker thread makes it again from this); absent for a presence-only column. */
  valueType?: PgValueType;
  /** Set when the type has no canonical form: only NULL against not NULL is compared. */
  notVerified?: string;
}

const INTEGER = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const TEXT = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json']);
const PG_TEXT = new Set(['text', 'varchar', 'citext', 'name']);
const PG_INT = new Set(['int2', 'int4', 'int8']);

export function planHash(
  compiled: CompiledTable,
  rule: TableRule,
  source: MysqlColumn[],
  target: PgColumn[],
  primaryKey: string[],
): HashPlan {
  const byName = new Map(target.map((c) => [c.name, c]));
  const slots = new Map(compiled.slots.map((s) => [s.to, s]));
  let whole: string | undefined;
  const columns = compiled.targetColumns.map((name): ColumnPlan => {
    const col = byName.get(name);
    const t = col?.valueType;
    const canon = t ? canonicalFor(t) : null;
    const pg = t && canon ? pgHashText(quotePg(name), t) : null;
    const js = t && canon ? jsHashText(t) : null;
    if (!t || !canon) {
      // Only NULL against not NULL: in SQL when the mapping keeps the source's NULLs as they are.
      const slot = slots.get(name);
      const r = slot?.rule;
      const keepsNulls =
        r && r.nullTo === undefined && !r.emptyToNull && r.zeroDate === undefined && r.invalid === undefined;
      return {
        name,
        path: slot && keepsNulls ? 'sql' : 'stream',
        pg: pgPresenceText(quotePg(name)),
        mysql: slot && keepsNulls ? { column: source[slot.from].name, kind: 'presence' } : undefined,
        js: () => '',
        notVerified: col?.type ?? 'unknown',
      };
    }
    if (!pg || !js) {
      whole ??= `column ${name} (type ${col!.type}) has no hash form`;
      return { name, path: 'stream', pg: '', js: canon };
    }
    const slot = slots.get(name);
    const kind = slot ? mirror(slot.rule, source[slot.from], t, compiled.timezone) : undefined;
    if (!slot || !kind) return { name, path: 'stream', pg, js, valueType: t };
    return {
      name,
      path: 'sql',
      pg,
      js,
      valueType: t,
      mysql: { column: source[slot.from].name, kind, zeroDateNull: slot.rule.zeroDate === 'null' },
    };
  });
  const keyIdx = primaryKey.map((k) => compiled.targetColumns.indexOf(k));
  if (!whole && (rule.unique.length || rule.existing || rule.dropRowsWithNull.length))
    whole = 'row policies (unique, existing, dropRowsWithNull) decide which rows load';
  if (!whole && (!keyIdx.length || keyIdx.includes(-1))) whole = 'the target table has no key among the loaded columns';
  if (!whole && keyIdx.some((i) => columns[i].path !== 'sql' || columns[i].notVerified))
    whole = 'a key column is not hashed in source SQL';
  if (whole) return { mode: 'whole', reason: whole, columns, keyIdx };
  const k = columns[keyIdx[0]];
  const kt = byName.get(k.name)!.valueType!;
  const ks = source.find((c) => c.name === k.mysql!.column)!;
  if (keyIdx.length === 1 && k.mysql!.kind === 'number' && PG_INT.has(kt.name) && INTEGER.has(ks.dataType))
    return { mode: 'range', columns, keyIdx, sourceKey: ks.name };
  return { mode: 'hash', columns, keyIdx };
}

/**
 * The source SQL that gives the text Postgres prints for the value this rule loads, or undefined
 * when the rule does something SQL does not mirror exactly.
 */
function mirror(rule: ColumnRule, src: MysqlColumn, t: PgValueType, timezone: string): MysqlTextKind | undefined {
  if (rule.trim || rule.case || rule.replace || rule.remap || rule.nullTo !== undefined || rule.emptyToNull) return;
  if (rule.zeroDate !== undefined && rule.zeroDate !== 'error' && rule.zeroDate !== 'null') return;
  if (t.elem) return;
  const pgName = t.typtype === 'e' ? 'enum' : t.name;
  const dt = src.isJson ? 'json' : src.dataType;
  const textTarget = PG_TEXT.has(pgName) || pgName === 'enum';
  const scale = /^decimal\(\d+,(\d+)\)/i.exec(src.columnType)?.[1];
  const numberFits = () =>
    (INTEGER.has(dt) && (PG_INT.has(pgName) || (pgName === 'numeric' && (numericScale(t.typmod) ?? 0) === 0))) ||
    (dt === 'decimal' && pgName === 'numeric' && [undefined, Number(scale ?? 0)].includes(numericScale(t.typmod)));
  switch (rule.type ?? 'copy') {
    case 'copy':
    case 'text':
      if (rule.type !== 'text' && (dt.includes('binary') || dt.includes('blob')))
        return pgName === 'bytea' ? 'hex' : undefined;
      if (TEXT.has(dt)) return textTarget ? 'text' : pgName === 'bpchar' ? 'rtrim' : undefined;
      if (INTEGER.has(dt) || dt === 'decimal') return numberFits() || textTarget ? 'number' : undefined;
      return;
    case 'integer':
    case 'numeric':
      return numberFits() ? 'number' : undefined;
    case 'uuid':
      return (rule.uuidFormat ?? 'text') === 'text' && (dt === 'char' || dt === 'varchar') && pgName === 'uuid'
        ? 'lower'
        : undefined;
    case 'boolean':
      return !rule.trueValues && !rule.falseValues && (INTEGER.has(dt) || dt === 'bit') && pgName === 'bool'
        ? 'boolean'
        : undefined;
    case 'enum': {
      const map = rule.map ?? {};
      const identity = Object.entries(map).every(([k, v]) => k === v);
      return identity && TEXT.has(dt) && textTarget ? 'text' : undefined;
    }
    case 'timestamp': {
      const zone = rule.timezone ?? timezone;
      const utc = zone === 'UTC' || zone === 'Etc/UTC';
      return utc && (dt === 'datetime' || dt === 'timestamp') && (pgName === 'timestamp' || pgName === 'timestamptz')
        ? 'datetime'
        : undefined;
    }
    case 'date':
      return dt === 'date' && pgName === 'date' ? 'date' : undefined;
    case 'time':
      return dt === 'time' && pgName === 'time' ? 'time' : undefined;
    case 'bytea':
      return (dt.includes('binary') || dt.includes('blob')) && pgName === 'bytea' ? 'hex' : undefined;
    default:
      return;
  }
}

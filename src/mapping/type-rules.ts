import type { MysqlColumn } from '../source/mysql/catalog';
import type { PgColumn } from '../target/postgres/catalog';
import type { TransformType } from './mapping-schema';

/**
 * MySQL → Postgres type pairs as a table of rules, shared by `map init` (which transform to
 * write) and `map check` (whether the written transform can convert). pgloader's idea: casting
 * is data, not an if/else chain.
 */

export type SourceKind =
  | 'bool'
  | 'int'
  | 'decimal'
  | 'float'
  | 'string'
  | 'enum'
  | 'set'
  | 'datetime'
  | 'date'
  | 'time'
  | 'year'
  | 'json'
  | 'binary'
  | 'bit'
  | 'spatial'
  | 'other';

export type TargetKind =
  | 'int'
  | 'numeric'
  | 'float'
  | 'bool'
  | 'text'
  | 'uuid'
  | 'timestamp'
  | 'date'
  | 'time'
  | 'interval'
  | 'json'
  | 'jsonb'
  | 'bytea'
  | 'array'
  | 'enum'
  | 'other';

const INT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);

export function sourceKind(c: Pick<MysqlColumn, 'dataType' | 'columnType' | 'isJson'>): SourceKind {
  const t = c.dataType.toLowerCase();
  const ct = c.columnType.toLowerCase();
  if (c.isJson || t === 'json') return 'json';
  if (t === 'bit') return ct === 'bit(1)' ? 'bool' : 'bit';
  if (t === 'tinyint' && /^tinyint\(1\)/.test(ct)) return 'bool';
  if (INT_TYPES.has(t)) return 'int';
  if (t === 'decimal' || t === 'numeric') return 'decimal';
  if (t === 'float' || t === 'double' || t === 'real') return 'float';
  if (STRING_TYPES.has(t)) return 'string';
  if (t === 'enum') return 'enum';
  if (t === 'set') return 'set';
  if (t === 'datetime' || t === 'timestamp') return 'datetime';
  if (t === 'date') return 'date';
  if (t === 'time') return 'time';
  if (t === 'year') return 'year';
  if (BINARY_TYPES.has(t)) return 'binary';
  if (
    [
      'geometry',
      'point',
      'linestring',
      'polygon',
      'multipoint',
      'multilinestring',
      'multipolygon',
      'geometrycollection',
      'geomcollection',
    ].includes(t)
  )
    return 'spatial';
  return 'other';
}

export function targetKind(c: Pick<PgColumn, 'type' | 'typtype'> & { baseType?: string | null }): TargetKind {
  // A domain loads as the type it is over.
  const t = (c.typtype === 'd' && c.baseType ? c.baseType : c.type).toLowerCase();
  if (t.endsWith('[]')) return 'array';
  if (c.typtype === 'e') return 'enum';
  if (t === 'smallint' || t === 'integer' || t === 'bigint') return 'int';
  if (t.startsWith('numeric')) return 'numeric';
  if (t === 'real' || t === 'double precision') return 'float';
  if (t === 'boolean') return 'bool';
  if (t === 'text' || t.startsWith('character') || t === 'citext' || t === 'name') return 'text';
  if (t === 'uuid') return 'uuid';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'date') return 'date';
  if (t.startsWith('time')) return 'time';
  if (t.startsWith('interval')) return 'interval';
  if (t === 'json') return 'json';
  if (t === 'jsonb') return 'jsonb';
  if (t === 'bytea') return 'bytea';
  return 'other';
}

interface Rule {
  from: SourceKind[];
  to: TargetKind[];
}

const ANY_TEXTUAL: SourceKind[] = [
  'string',
  'enum',
  'set',
  'json',
  'datetime',
  'date',
  'time',
  'year',
  'int',
  'bool',
  'decimal',
  'float',
  'bit',
  'spatial',
  'other',
];

/** Which source kinds a transform reads and which target kinds its output loads into. */
export const TRANSFORM_RULES: Record<Exclude<TransformType, 'copy'>, Rule> = {
  text: { from: ANY_TEXTUAL, to: ['text', 'enum'] },
  uuid: { from: ['string', 'binary'], to: ['uuid', 'text'] },
  boolean: { from: ['bool', 'int', 'string', 'enum', 'bit'], to: ['bool'] },
  enum: { from: ['enum', 'string', 'int', 'bool', 'set'], to: ['enum', 'text', 'int', 'bool'] },
  set: { from: ['set', 'string'], to: ['array'] },
  timestamp: { from: ['datetime', 'date', 'string'], to: ['timestamp'] },
  date: { from: ['date', 'string'], to: ['date'] },
  time: { from: ['time', 'string'], to: ['time', 'interval'] },
  year: { from: ['year', 'int'], to: ['int', 'numeric'] },
  json: { from: ['json', 'string'], to: ['json', 'jsonb', 'text'] },
  jsonb: { from: ['json', 'string'], to: ['json', 'jsonb', 'text'] },
  'simple-json': { from: ['string', 'json'], to: ['json', 'jsonb', 'text'] },
  integer: { from: ['int', 'bool', 'year', 'bit', 'string'], to: ['int', 'numeric', 'float', 'text'] },
  numeric: { from: ['int', 'decimal', 'float', 'string'], to: ['numeric', 'float', 'int', 'text'] },
  float: { from: ['float', 'decimal', 'int', 'string'], to: ['float', 'numeric', 'text'] },
  bytea: { from: ['binary', 'string'], to: ['bytea'] },
  'simple-array': { from: ['string'], to: ['array'] },
  'latin1-bytes': { from: ['string'], to: ['bytea'] },
  'latin1-base64': { from: ['string'], to: ['text'] },
  'json-array': { from: ['json', 'string'], to: ['array'] },
};

/** `copy` passes the exported text through: fine only where Postgres reads MySQL's text as is. */
export const COPY_TARGETS: Record<SourceKind, TargetKind[]> = {
  bool: ['bool', 'int', 'numeric', 'text'],
  int: ['int', 'numeric', 'float', 'text'],
  decimal: ['numeric', 'float', 'text'],
  float: ['float', 'numeric', 'text'],
  string: ['text'],
  enum: ['text'],
  set: ['text'],
  datetime: ['text'],
  date: ['date', 'text'],
  time: ['interval', 'text'],
  year: ['int', 'numeric', 'text'],
  json: ['json', 'jsonb', 'text'],
  binary: ['bytea'],
  bit: ['int', 'numeric', 'text'],
  spatial: ['text'],
  other: ['text'],
};

/** Why a transform cannot take this source column into this target column, or undefined. */
export function conversionProblem(type: TransformType, from: SourceKind, to: TargetKind): string | undefined {
  if (type === 'copy') {
    if (COPY_TARGETS[from].includes(to)) return undefined;
    const better = inferTransform(from, to);
    return `copy cannot load MySQL ${from} into Postgres ${to}${better && better !== 'copy' ? `; use type ${better}` : ''}`;
  }
  const r = TRANSFORM_RULES[type];
  if (!r.from.includes(from)) return `${type} does not read MySQL ${from} values (it reads ${r.from.join(', ')})`;
  if (!r.to.includes(to))
    return `${type} produces values Postgres ${to} cannot hold (it loads into ${r.to.join(', ')})`;
  return undefined;
}

/** The transform `map init` writes for a type pair; undefined when no rule decides it. */
export function inferTransform(from: SourceKind, to: TargetKind): TransformType | undefined {
  switch (to) {
    case 'uuid':
      return from === 'string' || from === 'binary' ? 'uuid' : undefined;
    case 'bool':
      return ['bool', 'int', 'bit', 'string', 'enum'].includes(from) ? 'boolean' : undefined;
    case 'timestamp':
      return from === 'datetime' || from === 'date' ? 'timestamp' : undefined;
    case 'date':
      return from === 'date' ? 'date' : undefined;
    case 'time':
    case 'interval':
      return from === 'time' ? 'time' : undefined;
    case 'json':
      return from === 'json' ? 'json' : from === 'string' ? 'simple-json' : undefined;
    case 'jsonb':
      return from === 'json' ? 'jsonb' : from === 'string' ? 'simple-json' : undefined;
    case 'array':
      return from === 'set' ? 'set' : from === 'json' ? 'json-array' : from === 'string' ? 'simple-array' : undefined;
    case 'enum':
      return ['enum', 'string', 'int'].includes(from) ? 'enum' : undefined;
    case 'bytea':
      return from === 'binary' ? 'bytea' : from === 'string' ? 'latin1-bytes' : undefined;
    case 'int':
      if (from === 'year') return 'year';
      return from === 'int' || from === 'bool' || from === 'bit' ? 'integer' : undefined;
    case 'numeric':
      return from === 'int' || from === 'decimal' ? 'numeric' : from === 'float' ? 'float' : undefined;
    case 'float':
      return from === 'float' || from === 'decimal' || from === 'int' ? 'float' : undefined;
    case 'text':
      return from === 'binary' ? undefined : 'text';
    default:
      return undefined;
  }
}

/** Integer ranges, to find narrowing pairs (bigint → integer, int unsigned → integer). */
export function mysqlIntRange(columnType: string): [bigint, bigint] | undefined {
  const m = /^(tinyint|smallint|mediumint|int|integer|bigint)\b/i.exec(columnType);
  if (!m) return undefined;
  const bits = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32, bigint: 64 }[
    m[1].toLowerCase() as 'int'
  ];
  if (/unsigned/i.test(columnType)) return [0n, (1n << BigInt(bits)) - 1n];
  return [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
}

export function pgIntRange(type: string): [bigint, bigint] | undefined {
  const bits = { smallint: 16, integer: 32, bigint: 64 }[type.toLowerCase() as 'integer'];
  return bits ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : undefined;
}

/** A source integer type whose values may not fit the target integer type. */
export function integerNarrowing(source: MysqlColumn, target: PgColumn): string | undefined {
  const s = mysqlIntRange(source.columnType);
  const t = pgIntRange(target.type);
  if (!s || !t) return undefined;
  if (s[0] >= t[0] && s[1] <= t[1]) return undefined;
  return `MySQL ${source.columnType} holds ${s[0]}..${s[1]}; Postgres ${target.type} holds ${t[0]}..${t[1]}`;
}

/** Output length limit check applies to transforms that emit the source text itself. */
export function emitsSourceText(type: TransformType): boolean {
  return type === 'copy' || type === 'text';
}

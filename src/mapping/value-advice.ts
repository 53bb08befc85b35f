import { DEFAULT_TRUE } from './boolean-spellings';
import type { ColumnSpecObject } from './mapping-schema';
import { keyText } from '../core/key-text';

/**
 * What to do about a value that cannot load, in one place: the transform's errors, migrate's
 * and `map check --probe` take their words from here, so the same problem reads the same in
 * each, and the advice is one that loads into the target column's type (jsonb cannot store the
 * \u0000 escape that json stores; a NUL drops out of text but fits bytea). Pure.
 */
export type ValueProblem =
  | 'nul-in-text' // U+0000 in a value loaded as text
  | 'nul-in-jsonb' // the \u0000 escape in JSON loaded as jsonb
  | 'json-invalid'
  | 'not-latin1' // a character above U+00FF where a latin1 byte string was declared
  | 'boolean-unread' // a value neither the true nor the false spellings name
  | 'zero-date'
  | 'impossible-date'
  | 'empty-uuid' // '' where a uuid is read
  | 'uuid-invalid'
  | 'integer-invalid'
  | 'number-invalid'
  | 'enum-unmapped'
  | 'enum-label-invalid'
  | 'null-into-not-null'
  | 'too-long'
  | 'out-of-range'
  | 'duplicate-key'
  | 'existing-row' // a key the target already holds, where the mapping's existing policy is fail
  | 'value-invalid'; // any other value a transform refuses

/** What the advice knows of the target column: its kind, whether it takes NULL, its length. */
export interface AdviceTarget {
  /** json, jsonb, text, bytea, int, uuid, … (type-rules TargetKind); undefined when unknown (transform without a target). */
  kind?: string;
  nullable?: boolean;
  column?: string;
}

/** A change that makes the values load: mapping keys of the column or table, or the target column's type. */
export interface AdviceFix {
  column?: Partial<ColumnSpecObject>;
  table?: { unique?: Array<{ columns: string[]; policy: 'keep-first' }>; dropRowsWithNull?: string[] };
  /** Postgres type the target column must take (a schema change the application owns). */
  targetType?: string;
}

export interface Advice {
  words: string;
  fix?: AdviceFix;
}

/** Drops U+0000 from text: the regex \x00, written as YAML shows it. */
export const NUL_PATTERN = '\\x00';
/** Drops the \u0000 escape from JSON text, and only the escape (an even run of backslashes before it). */
export const JSON_NUL_PATTERN = '(?<=(?:^|[^\\\\])(?:\\\\\\\\)*)\\\\u0000';

const yamlQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: string[]) => `[${xs.map(yamlQuote).join(', ')}]`;

export interface AdviceDetail {
  /** boolean-unread: the values read as neither; duplicate-key: the index's columns; too-long: the longest; out-of-range: the extremes. */
  values?: string[];
  trueValues?: string[];
  falseValues?: string[];
  longest?: number;
  /** duplicate-key: target columns of the index; existing-row: the existing policy's key. */
  columns?: string[];
}

export function advise(problem: ValueProblem, t: AdviceTarget = {}, d: AdviceDetail = {}): Advice {
  switch (problem) {
    case 'nul-in-text':
      if (t.kind === 'bytea')
        return { words: 'load the column as bytes: type: bytea', fix: { column: { type: 'bytea' } } };
      return {
        words: `drop the character with replace: { pattern: ${yamlQuote(NUL_PATTERN)}, with: '' } (counted), or load the column as bytes (type: bytea) into a bytea column`,
        fix: { column: { replace: { pattern: NUL_PATTERN, with: '' } } },
      };
    case 'nul-in-jsonb':
      return {
        words: `drop the escape with replace: { pattern: ${yamlQuote(JSON_NUL_PATTERN)}, with: '' } (counted); a json column (not jsonb) would store it`,
        fix: { column: { replace: { pattern: JSON_NUL_PATTERN, with: '' } } },
      };
    case 'json-invalid':
      return t.nullable === false
        ? { words: 'fix the source rows: the target column is NOT NULL, so invalid: null cannot load them' }
        : {
            words: 'declare invalid: null (each such value becomes NULL, counted), or fix the source rows',
            fix: { column: { invalid: 'null' } },
          };
    case 'not-latin1':
      if (t.kind === 'bytea')
        return {
          words:
            'the value is not a latin1 byte string: fix the source rows, or load the column as its UTF-8 bytes (type: bytea)',
          fix: { column: { type: 'bytea' } },
        };
      return {
        words:
          'the value is not a latin1 byte string: fix the source rows, or load the column as the text it holds (type: text)',
        fix: { column: { type: 'text' } },
      };
    case 'boolean-unread': {
      const found = d.values ?? [];
      const numeric = found.filter((v) => /^-?\d+$/.test(v) && BigInt(v) !== 0n);
      const trueValues = [
        ...(d.trueValues ?? DEFAULT_TRUE),
        ...numeric.filter((v) => !(d.trueValues ?? DEFAULT_TRUE).includes(v)),
      ];
      const others = found.filter((v) => !numeric.includes(v));
      const words =
        (numeric.length
          ? `MySQL reads any non-zero number as true: declare trueValues: ${list(trueValues)} (counted)`
          : '') +
        (others.length
          ? `${numeric.length ? '; ' : ''}name ${list(others)} under trueValues or falseValues, or fix the source rows`
          : '');
      return { words, fix: others.length ? undefined : { column: { trueValues } } };
    }
    case 'zero-date':
      if (t.nullable === false)
        return {
          words:
            "the target column is NOT NULL: declare zeroDate: <a replacement value> (counted), such as zeroDate: '1970-01-01 00:00:00'",
          fix: { column: { zeroDate: '1970-01-01 00:00:00' } },
        };
      return {
        words: `declare zeroDate: null (counted)${t.nullable === undefined ? ', or zeroDate: <a replacement value> where the target column is NOT NULL' : ''}`,
        fix: t.nullable ? { column: { zeroDate: 'null' } } : undefined,
      };
    case 'impossible-date':
      return { words: 'real dates: fix the source rows' };
    case 'empty-uuid':
      if (t.nullable === false)
        return {
          words:
            "'' is no uuid and the target column is NOT NULL: fix the source rows, or declare emptyToNull: true with dropRowsWithNull",
        };
      return {
        words: "declare emptyToNull: true (counted), if '' means no reference",
        fix: t.nullable ? { column: { emptyToNull: true } } : undefined,
      };
    case 'uuid-invalid':
      return { words: 'uuids: fix the source rows, or load the column into a text column' };
    case 'integer-invalid':
      return { words: 'integers: fix the source rows, or a replace that makes them so' };
    case 'number-invalid':
      return { words: 'numbers: fix the source rows, or a replace that makes them so' };
    case 'enum-unmapped':
      return { words: `map entries for ${list(d.values ?? [])}` };
    case 'enum-label-invalid':
      return { words: `type: enum with a map onto the labels the target allows (values ${list(d.values ?? [])})` };
    case 'null-into-not-null': {
      const nullTo =
        t.kind === 'text' ? '' : t.kind === 'int' || t.kind === 'numeric' ? '0' : t.kind === 'bool' ? 'f' : undefined;
      const drop = `list ${t.column ?? 'the column'} under dropRowsWithNull (drops those rows, counted)`;
      if (nullTo === undefined)
        return { words: drop, fix: t.column ? { table: { dropRowsWithNull: [t.column] } } : undefined };
      return {
        words: `declare nullTo: ${yamlQuote(nullTo)} (counted), or ${drop}`,
        fix: { column: { nullTo } },
      };
    }
    case 'too-long':
      return {
        words: `widen the target column to ${d.longest ? `varchar(${d.longest})` : 'the longest value'} or text, or fix the source rows`,
        fix: d.longest ? { targetType: `varchar(${d.longest})` } : undefined,
      };
    case 'out-of-range': {
      const fitsBigint = (d.values ?? []).every((v) => BigInt(v) >= -(1n << 63n) && BigInt(v) < 1n << 63n);
      const type = fitsBigint ? 'bigint' : 'numeric';
      return { words: `widen the target column to ${type}`, fix: { targetType: type } };
    }
    case 'value-invalid':
      return { words: 'values the transform reads: fix the source rows, or choose the transform that reads them' };
    case 'existing-row': {
      const key = `[${(d.columns ?? []).join(', ')}]`;
      return {
        words: `declare existing: { key: ${key}, policy: skip } (the target's rows stay and the source's are dropped, counted), or policy: replace (the source's rows replace them, counted), or empty the target table`,
      };
    }
    case 'duplicate-key': {
      const cols = d.columns ?? [];
      return {
        words: `declare unique: [{ columns: [${cols.join(', ')}], policy: keep-first }] (later duplicates dropped, counted), or keep-newest with newest: <column>, or fix the source rows`,
        fix: { table: { unique: [{ columns: cols, policy: 'keep-first' }] } },
      };
    }
  }
}

/**
 * A source row whose key the target already holds under `existing: fail`, in the words the
 * transform and `map check --probe` both give (each followed by advise('existing-row')): the
 * key's columns and values, and the target table.
 */
export function existingRowText(target: string, key: string[], values: string): string {
  return `${keyText(key, values)} is already in target table ${target}, and the existing policy is fail`;
}

/** The kind of target a transform type implies, for the transform's own messages (it may run without the target). */
export function impliedTarget(type: string | undefined): AdviceTarget {
  switch (type) {
    case 'jsonb':
      return { kind: 'jsonb' };
    case 'json':
    case 'simple-json':
      return { kind: 'json' };
    case 'bytea':
    case 'latin1-bytes':
      return { kind: 'bytea' };
    default:
      return { kind: 'text' };
  }
}

import type { ColumnRule } from '../mapping/load-mapping';
import { ChangeLedger } from './change-ledger';
import { makeBoolean, respelledBooleans } from './transforms/boolean';
import { jsonValue } from './transforms/json';
import {
  byteaValue,
  enumValue,
  floatValue,
  integerValue,
  jsonArrayToArray,
  latin1Base64Value,
  latin1BytesValue,
  numericValue,
  setToArray,
  simpleArrayToArray,
  textValue,
} from './transforms/scalars';
import { dateValue, isZeroDate, makeTimestamp, timeValue, yearValue } from './transforms/timestamp';
import { uuidFromBinary, uuidFromSwappedBinary, uuidFromText } from './transforms/uuid';
import { ValueError } from './transforms/value-error';
import { lookupKey } from './lookup-key';
import { advise } from '../mapping/value-advice';

export type ColumnFn = (v: string | null) => string | null;

export interface CompileColumnContext {
  timezone: string;
  lookups: Map<string, Map<string, string>>;
  ledger: ChangeLedger;
  /** Export encoding of the source column: binary columns arrive as \x hex. */
  sourceEncoding: 'text' | 'hex';
}

/**
 * Turns one column rule into a closure: null handling, declared normalisations, the type
 * transform, then the id remap. Built once per table; called once per value.
 */
export function compileColumn(rule: ColumnRule, ctx: CompileColumnContext): ColumnFn {
  const col = rule.to;
  const L = ctx.ledger;
  const typeFn = typeTransform(rule, ctx);
  const pre = preTransforms(rule, L);
  const lookup = rule.remap ? ctx.lookups.get(rule.remap) : undefined;
  const zeroPolicy = rule.zeroDate ?? 'error';
  const isTemporal = rule.type === 'timestamp' || rule.type === 'date';
  const nullTo = rule.nullTo;

  return (v) => {
    if (v === null) {
      if (nullTo !== undefined) {
        L.add(col, 'nullDefaulted');
        return nullTo;
      }
      return null;
    }
    if (v === '' && rule.emptyToNull) {
      L.add(col, 'emptyToNull');
      if (nullTo !== undefined) {
        L.add(col, 'nullDefaulted');
        return nullTo;
      }
      return null;
    }
    let x = pre ? pre(v) : v;
    if (isTemporal && isZeroDate(x)) {
      if (zeroPolicy === 'null') {
        L.add(col, 'zeroDateNulled');
        if (nullTo === undefined) return null;
        L.add(col, 'nullDefaulted');
        return nullTo;
      }
      if (zeroPolicy !== 'error') {
        L.add(col, 'zeroDateReplaced');
        return zeroPolicy;
      }
      throw new ValueError(
        'TIMESTAMP_INVALID',
        `zero date ${JSON.stringify(x)}, which Postgres has no value for; ${advise('zero-date').words}`,
        'zero-date',
      );
    }
    x = typeFn(x);
    if (lookup) {
      const to = lookup.get(lookupKey(x));
      if (to !== undefined && to !== x) {
        L.add(col, 'remapped');
        x = to;
      }
    }
    return x;
  };
}

function preTransforms(rule: ColumnRule, L: ChangeLedger): ((v: string) => string) | undefined {
  const steps: Array<(v: string) => string> = [];
  const col = rule.to;
  if (rule.trim)
    steps.push((v) => {
      const t = v.trim();
      if (t !== v) L.add(col, 'trimmed');
      return t;
    });
  if (rule.case) {
    const up = rule.case === 'upper';
    steps.push((v) => {
      const t = up ? v.toUpperCase() : v.toLowerCase();
      if (t !== v) L.add(col, 'caseChanged');
      return t;
    });
  }
  if (rule.replace) {
    const re = new RegExp(rule.replace.pattern, rule.replace.flags ?? 'g');
    const w = rule.replace.with;
    steps.push((v) => {
      const t = v.replace(re, w);
      if (t !== v) L.add(col, 'replaced');
      return t;
    });
  }
  if (steps.length === 0) return undefined;
  return (v) => steps.reduce((acc, f) => f(acc), v);
}

function typeTransform(rule: ColumnRule, ctx: CompileColumnContext): (v: string) => string {
  const col = rule.to;
  const L = ctx.ledger;
  switch (rule.type ?? 'copy') {
    case 'copy':
      return ctx.sourceEncoding === 'hex' ? byteaValue : textValue;
    case 'text':
      return textValue;
    case 'uuid': {
      if (rule.uuidFormat === 'binary') return uuidFromBinary;
      if (rule.uuidFormat === 'swapped') return uuidFromSwappedBinary;
      return (v) => {
        const u = uuidFromText(v);
        if (u !== v) L.add(col, 'uuidLowercased');
        return u;
      };
    }
    case 'boolean': {
      const f = makeBoolean(rule.trueValues, rule.falseValues);
      const respelled = respelledBooleans(rule.trueValues, rule.falseValues);
      if (!respelled.size) return f;
      return (v) => {
        const o = f(v);
        if (respelled.has(v)) L.add(col, 'booleanRespelled');
        return o;
      };
    }
    case 'enum': {
      const map = rule.map ?? {};
      return (v) => {
        const o = enumValue(map, v);
        if (o !== v) L.add(col, 'enumRelabelled');
        return o;
      };
    }
    case 'set':
      return setToArray;
    case 'timestamp': {
      const zone = rule.timezone ?? ctx.timezone;
      const f = makeTimestamp(zone);
      if (zone === 'UTC' || zone === 'Etc/UTC') return f;
      return (v) => {
        const o = f(v);
        if (o !== v) L.add(col, 'timezoneShifted');
        return o;
      };
    }
    case 'date':
      return dateValue;
    case 'time':
      return timeValue;
    case 'year':
      return yearValue;
    case 'json':
    case 'jsonb':
    case 'simple-json': {
      const jsonb = rule.type === 'jsonb';
      if (rule.invalid !== 'null') return (v) => jsonValue(v, jsonb);
      const nullTo = rule.nullTo;
      return (v) => {
        try {
          return jsonValue(v, jsonb);
        } catch {
          // invalid: null was asked for: a value jsonValue refuses becomes NULL (or nullTo), and is counted.
          L.add(col, 'invalidJsonNulled');
          if (nullTo === undefined) return NULL_SENTINEL;
          L.add(col, 'nullDefaulted');
          return nullTo;
        }
      };
    }
    case 'integer':
      return integerValue;
    case 'numeric':
      return numericValue;
    case 'float':
      return floatValue;
    case 'bytea':
      return ctx.sourceEncoding === 'hex' ? byteaValue : (v) => '\\x' + Buffer.from(v, 'utf8').toString('hex');
    case 'simple-array':
      return simpleArrayToArray;
    case 'latin1-bytes':
      return latin1BytesValue;
    case 'latin1-base64':
      return latin1Base64Value;
    case 'json-array':
      return jsonArrayToArray;
  }
}

/**
 * A value transform returns strings only; an "invalid JSON → NULL" outcome is signalled with this
 * sentinel and turned into NULL by the row transformer (keeps the hot path free of extra checks).
 */
export const NULL_SENTINEL = '\u0000converge-null\u0000';

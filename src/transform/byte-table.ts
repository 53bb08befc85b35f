import { ByteSink } from '../csv/byte-sink';
import { ESCAPED, FieldSpans, LineLocator } from '../csv/csv-byte-records';
import { encodeField } from '../csv/csv-encode';
import type { TableRule } from '../mapping/load-mapping';
import {
  isCanonicalDateTimeBytes,
  isHexByteaBytes,
  isIntegerBytes,
  isLowerUuidBytes,
  isNumericBytes,
  isPlainDateBytes,
  isValidJsonBytes,
} from './byte-checks';
import type { ChangeKind } from './change-ledger';
import { NULL_SENTINEL } from './compile-column';
import type { CompiledSlot, CompiledTable } from './compile-table';
import { nullDropIndexes } from './map-rows';
import { DEFAULT_FALSE, DEFAULT_TRUE } from '../mapping/boolean-spellings';
import { ValueError } from './transforms/value-error';
import { respelledBooleans } from './transforms/boolean';

/** How a column's value is made on the byte path. */
const STRING = 0; // decoded, the column's string function, encoded again
const TEXT = 1; // unchanged unless it holds a NUL (then the string function explains why not)
const CHECK = 2; // unchanged when a byte check says the string function would return it as is
const LOOKUP = 3; // a small finite map (boolean, enum): source bytes → encoded target bytes

type Check = (b: Buffer, s: number, e: number, flags: number) => boolean;

interface ByteSlot {
  from: number;
  to: string;
  kind: number;
  check?: Check;
  /** LOOKUP: keys as bytes, and what each becomes (encoded CSV bytes, and the change it counts). */
  keys?: Buffer[];
  outs?: Buffer[];
  counts?: Array<ChangeKind | undefined>;
  /** NULL in, NULL out, without the string function: true unless the rule has nullTo. */
  nullPasses: boolean;
  /** '' is handed to the check: true unless the rule has emptyToNull. */
  emptyPasses: boolean;
  fn: CompiledSlot['fn'];
}

export interface ByteTable {
  /**
   * Appends the target row of one source record to out, or nothing when dropRowsWithNull drops
   * it; returns whether a row was written. Errors are the string path's, word for word.
   */
  write(buf: Buffer, spans: FieldSpans, at: number, lines: LineLocator, out: ByteSink): boolean;
}

const COMMA = 0x2c;
const LF = 0x0a;

/**
 * The byte-level form of a compiled table, or undefined when the table needs the string path
 * (unique or existing-row policies, which compare decoded values across rows).
 *
 * Why: on the bench data the string path spends most of its time decoding UTF-8, un-escaping
 * and re-escaping quoted values and encoding UTF-8 again, for values it returns unchanged. Here
 * a value whose byte check passes is copied as the bytes it came in (adjacent ones in one copy),
 * and only the values a transform really changes are decoded. Every check is proven against the
 * string function it stands for (byte-checks tests); output is byte-identical to the string path.
 */
export function compileByteTable(table: CompiledTable, rule: TableRule, timezone: string): ByteTable | undefined {
  if (rule.unique.length > 0) return undefined;
  if (rule.existing && rule.existing.policy !== 'replace') return undefined;
  const slots = table.slots.map((s) => byteSlot(s, timezone));
  const nSlots = slots.length;
  const added = table.added.map((a) => ({
    constant: a.constant === undefined || a.constant === null ? undefined : encodeField(a.constant),
    concat: a.concat,
  }));
  const nullDrop = nullDropIndexes(rule, table.targetColumns);
  const cols = table.targetColumns;
  const isNull = new Uint8Array(cols.length);
  const ledger = table.ledger;
  let lastBuf: Buffer | undefined;
  // The first NUL byte of the block at or after nulFrom (the block's length: none). Columns are
  // not always in source order, so a value before nulFrom searches again.
  let nextNul = 0;
  let nulFrom = 0;

  const slowValue = (sl: ByteSlot, buf: Buffer, spans: FieldSpans, i: number, out: ByteSink): void => {
    let o = sl.fn(spans.text(buf, sl.from));
    if (o === NULL_SENTINEL) o = null;
    if (o === null) isNull[i] = 1;
    else out.text(encodeField(o));
  };

  const writeRow = (buf: Buffer, spans: FieldSpans, out: ByteSink): boolean => {
    if (buf !== lastBuf) {
      // One scan per block answers the NUL question for every text value up to the next NUL.
      lastBuf = buf;
      nextNul = nulAt(buf, 0);
      nulFrom = 0;
    }
    const rowStart = out.pos;
    const starts = spans.starts;
    const ends = spans.ends;
    const flags = spans.flags;
    // The pending run of unchanged values, as raw bytes of buf (commas between them included).
    let runS = 0;
    let runE = -1;
    for (let i = 0; i < nSlots; i++) {
      const sl = slots[i];
      const f = sl.from;
      const s = starts[f];
      const e = ends[f];
      const fl = flags[f];
      isNull[i] = 0;
      let pass = false;
      if (s === e) {
        if (fl === 0) {
          pass = sl.nullPasses;
          if (pass) isNull[i] = 1;
        } else
          pass =
            sl.emptyPasses &&
            sl.kind !== STRING &&
            sl.kind !== LOOKUP &&
            (sl.kind === TEXT || sl.check!(buf, s, e, fl));
      } else if (sl.kind === TEXT) {
        if (nextNul < s || s < nulFrom) {
          nulFrom = s;
          nextNul = nulAt(buf, s);
        }
        pass = nextNul >= e && !(fl === 0 && e - s === 2 && buf[s] === 0x5c && buf[s + 1] === 0x2e);
      } else if (sl.kind === CHECK) {
        pass = sl.check!(buf, s, e, fl);
      }
      if (pass) {
        const rawS = fl === 0 ? s : s - 1;
        const rawE = fl === 0 ? e : e + 1;
        if (runE >= 0 && rawS === runE + 1) {
          runE = rawE;
          continue;
        }
        if (runE >= 0) out.copy(buf, runS, runE);
        if (i > 0) out.byte(COMMA);
        runS = rawS;
        runE = rawE;
        continue;
      }
      if (runE >= 0) {
        out.copy(buf, runS, runE);
        runE = -1;
      }
      if (i > 0) out.byte(COMMA);
      if (sl.kind === LOOKUP && (fl & ESCAPED) === 0 && (s !== e || (fl !== 0 && sl.emptyPasses))) {
        const k = findKey(sl.keys!, buf, s, e);
        if (k >= 0) {
          const o = sl.outs![k];
          out.copy(o, 0, o.length);
          const c = sl.counts![k];
          if (c !== undefined) ledger.add(sl.to, c);
          continue;
        }
      }
      slowValue(sl, buf, spans, i, out);
    }
    if (runE >= 0) out.copy(buf, runS, runE);
    for (let j = 0; j < added.length; j++) {
      if (nSlots + j > 0) out.byte(COMMA);
      const a = added[j];
      if (a.concat) {
        const parts: string[] = [];
        let anyNull = false;
        for (const from of a.concat.from) {
          const t = spans.text(buf, from);
          if (t === null) anyNull = true;
          else parts.push(t);
        }
        isNull[nSlots + j] = anyNull ? 1 : 0;
        if (!anyNull) out.text(encodeField(parts.join(a.concat.separator)));
      } else {
        isNull[nSlots + j] = a.constant === undefined ? 1 : 0;
        if (a.constant !== undefined) out.text(a.constant);
      }
    }
    for (let j = 0; j < nullDrop.length; j++) {
      if (isNull[nullDrop[j]] === 1) {
        ledger.add(cols[nullDrop[j]], 'nullRowDropped');
        out.rewind(rowStart);
        return false;
      }
    }
    out.byte(LF);
    return true;
  };

  return {
    write(buf, spans, at, lines, out) {
      try {
        return writeRow(buf, spans, out);
      } catch (e) {
        // The string path builds the error (column, value, row, mapping rule, line): run the
        // record through it. It throws for the same value, as the transforms are pure.
        if (e instanceof ValueError) {
          // Counted once: the record's earlier columns went into the ledger on the first try.
          const saved = ledger.snapshot();
          try {
            table.transformRow(spans.texts(buf), lines.lineAt(at));
          } finally {
            ledger.restore(saved);
          }
        }
        throw e;
      }
    },
  };
}

/** Whether a value's bytes (no CSV escaping) pass through a column unchanged: the column function would return it as is, count nothing and not throw. */
export type UnchangedCheck = (b: Buffer, s: number, e: number) => boolean;

/**
 * The same question for raw bytes outside a CSV file (migrate reads them from MySQL packets):
 * undefined when the column may change or refuse values its bytes cannot vouch for.
 */
export function unchangedCheck(slot: CompiledSlot, timezone: string): UnchangedCheck | undefined {
  const b = byteSlot(slot, timezone);
  const emptyOk = b.emptyPasses;
  if (b.kind === TEXT) return (buf, s, e) => (s !== e || emptyOk) && !nulWithin(buf, s, e);
  if (b.kind === CHECK) {
    const check = b.check!;
    return (buf, s, e) => (s !== e || emptyOk) && check(buf, s, e, 0);
  }
  return undefined;
}

function byteSlot(s: CompiledSlot, timezone: string): ByteSlot {
  const r = s.rule;
  const base = { from: s.from, to: s.to, fn: s.fn, nullPasses: r.nullTo === undefined, emptyPasses: !r.emptyToNull };
  // A value the rule may rewrite before its type transform, or remap after it, goes the string way.
  if (r.trim || r.case || r.replace || r.remap) return { ...base, kind: STRING };
  const type = r.type ?? 'copy';
  if ((type === 'copy' || type === 'text') && s.encoding === 'text') return { ...base, kind: TEXT };
  const check = byteCheck(s, timezone);
  if (check) return { ...base, kind: CHECK, check };
  if (type === 'boolean') {
    const respelled = respelledBooleans(r.trueValues, r.falseValues);
    const count = (v: string): ChangeKind | undefined => (respelled.has(v) ? 'booleanRespelled' : undefined);
    const pairs: Array<[string, string, ChangeKind | undefined]> = [
      ...(r.trueValues ?? DEFAULT_TRUE).map((v): [string, string, ChangeKind | undefined] => [v, 't', count(v)]),
      ...(r.falseValues ?? DEFAULT_FALSE).map((v): [string, string, ChangeKind | undefined] => [v, 'f', count(v)]),
    ];
    return lookupSlot(base, pairs);
  }
  if (type === 'enum' && r.map) {
    const pairs = Object.entries(r.map).map(([k, v]): [string, string, ChangeKind | undefined] => [
      k,
      v,
      v !== k ? 'enumRelabelled' : undefined,
    ]);
    return lookupSlot(base, pairs);
  }
  return { ...base, kind: STRING };
}

function lookupSlot(base: Omit<ByteSlot, 'kind'>, pairs: Array<[string, string, ChangeKind | undefined]>): ByteSlot {
  // A long list is a linear scan per value; past a few dozen keys the string function's Set wins.
  if (pairs.length > 48) return { ...base, kind: STRING };
  const seen = new Set<string>();
  const unique = pairs.filter(([k]) => (seen.has(k) ? false : (seen.add(k), true)));
  return {
    ...base,
    kind: LOOKUP,
    keys: unique.map(([k]) => Buffer.from(k, 'utf8')),
    outs: unique.map(([, v]) => Buffer.from(encodeField(v), 'utf8')),
    counts: unique.map(([, , c]) => c),
  };
}

function byteCheck(s: CompiledSlot, timezone: string): Check | undefined {
  const r = s.rule;
  switch (r.type ?? 'copy') {
    case 'copy':
    case 'bytea':
      return s.encoding === 'hex' ? isHexByteaBytes : undefined;
    case 'uuid':
      return r.uuidFormat === 'binary' || r.uuidFormat === 'swapped' ? undefined : isLowerUuidBytes;
    case 'timestamp': {
      const zone = r.timezone ?? timezone;
      if (zone !== 'UTC' && zone !== 'Etc/UTC') return undefined;
      // Year 0000 is a zero date to the column function (its zeroDate policy decides).
      return (b, st, e) =>
        isCanonicalDateTimeBytes(b, st, e) &&
        !(b[st] === 0x30 && b[st + 1] === 0x30 && b[st + 2] === 0x30 && b[st + 3] === 0x30);
    }
    case 'date':
      return isPlainDateBytes;
    case 'json':
    case 'simple-json':
      return (b, st, e, fl) => isValidJsonBytes(b, st, e, (fl & ESCAPED) !== 0, false);
    case 'jsonb':
      return (b, st, e, fl) => isValidJsonBytes(b, st, e, (fl & ESCAPED) !== 0, true);
    case 'integer':
      return isIntegerBytes;
    case 'numeric':
    case 'float':
      return isNumericBytes;
    default:
      return undefined;
  }
}

/** A NUL in b[s, e), never looking past e (a packet's next bytes are not this value's). */
function nulWithin(b: Buffer, s: number, e: number): boolean {
  if (e - s < 64) {
    for (let k = s; k < e; k++) if (b[k] === 0) return true;
    return false;
  }
  return b.subarray(s, e).indexOf(0) !== -1;
}

function nulAt(buf: Buffer, from: number): number {
  const k = buf.indexOf(0, from);
  return k === -1 ? buf.length : k;
}

function findKey(keys: Buffer[], buf: Buffer, s: number, e: number): number {
  const n = e - s;
  outer: for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key.length !== n) continue;
    for (let j = 0; j < n; j++) if (key[j] !== buf[s + j]) continue outer;
    return k;
  }
  return -1;
}

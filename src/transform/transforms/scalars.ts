import { advise } from '../../mapping/value-advice';
import { ValueError } from './value-error';

const INT = /^-?\d+$/;
const NUM = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function integerValue(v: string): string {
  if (!INT.test(v))
    throw new ValueError(
      'VALUE_INVALID',
      `not an integer: ${JSON.stringify(v.slice(0, 40))}; ${advise('integer-invalid').words}`,
      'integer-invalid',
    );
  return v;
}

/** Exact decimals and unsigned bigints go to numeric as text: never through a JS number. */
export function numericValue(v: string): string {
  if (!NUM.test(v))
    throw new ValueError(
      'VALUE_INVALID',
      `not a number: ${JSON.stringify(v.slice(0, 40))}; ${advise('number-invalid').words}`,
      'number-invalid',
    );
  return v;
}

/** float/double: MySQL prints the shortest text that reads back to the same binary value; keep it. */
export function floatValue(v: string): string {
  if (!NUM.test(v) && !/^-?(inf|nan)$/i.test(v))
    throw new ValueError('VALUE_INVALID', `not a float: ${JSON.stringify(v.slice(0, 40))}`);
  return v;
}

/** Postgres text cannot hold U+0000; MySQL text can. Fail with the column named, never truncate. */
export function textValue(v: string): string {
  if (v.includes('\u0000'))
    throw new ValueError(
      'VALUE_INVALID',
      `text holds a NUL (U+0000) character, which Postgres text cannot store; ${advise('nul-in-text', { kind: 'text' }).words}`,
      'nul-in-text',
    );
  return v;
}

/** bytea input: exported binary is already `\x` hex; validate it. */
export function byteaValue(v: string): string {
  if (!/^\\x([0-9a-fA-F]{2})*$/.test(v)) throw new ValueError('VALUE_INVALID', 'binary value is not \\x-prefixed hex');
  return v;
}

/**
 * Alkemio stores zlib bytes as a latin1 "binary string" in utf8mb4 text: each byte 0..255 became the
 * code point U+0000..U+00FF. Rebuild the exact bytes and emit bytea hex. A code point above U+00FF
 * means the text was never a byte string: an error, not a silent re-encoding.
 */
export function latin1BytesValue(v: string): string {
  return '\\x' + latin1Bytes(v, 'bytea').toString('hex');
}

/**
 * The same byte string, for a target column that is text (Alkemio's whiteboard content):
 * base64 of the exact bytes, since Postgres text cannot hold the NULs zlib output contains.
 */
export function latin1Base64Value(v: string): string {
  return latin1Bytes(v, 'text').toString('base64');
}

function latin1Bytes(v: string, target: 'bytea' | 'text'): Buffer {
  for (let i = 0; i < v.length; i++) {
    if (v.charCodeAt(i) > 0xff)
      throw new ValueError(
        'VALUE_INVALID',
        `character U+${v.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at offset ${i} is not a latin1 byte; ${advise('not-latin1', { kind: target }).words}`,
        'not-latin1',
      );
  }
  return Buffer.from(v, 'latin1');
}

/**
 * A JSON array of scalars (how MySQL schemas without arrays store tags or embeddings) → a
 * Postgres array literal; JSON null → NULL element. Nested arrays or objects are an error.
 */
export function jsonArrayToArray(v: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch (e) {
    throw new ValueError(
      'JSON_INVALID',
      `invalid JSON (${(e as Error).message.slice(0, 80)}): ${JSON.stringify(v.slice(0, 60))}`,
    );
  }
  if (!Array.isArray(parsed))
    throw new ValueError('VALUE_INVALID', `not a JSON array: ${JSON.stringify(v.slice(0, 60))}`);
  const parts = parsed.map((x) => {
    if (x === null) return 'NULL';
    if (typeof x === 'object')
      throw new ValueError(
        'VALUE_INVALID',
        'a JSON array element is itself an array or object; Postgres arrays here hold scalars',
      );
    return '"' + String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  });
  return '{' + parts.join(',') + '}';
}

/** MySQL SET ('a,b') → Postgres text[] literal. */
export function setToArray(v: string): string {
  return arrayLiteral(v === '' ? [] : v.split(','));
}

/** TypeORM simple-array: comma-joined text, '' means an empty list. */
export function simpleArrayToArray(v: string): string {
  return arrayLiteral(v === '' ? [] : v.split(','));
}

export function arrayLiteral(items: string[]): string {
  return '{' + items.map((s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';
}

export function enumValue(map: Record<string, string>, v: string): string {
  const out = Object.hasOwn(map, v) ? map[v] : undefined;
  if (out === undefined)
    throw new ValueError(
      'ENUM_UNMAPPED',
      `value ${JSON.stringify(v)} is not in the enum map (mapped: ${Object.keys(map)
        .map((k) => JSON.stringify(k))
        .join(', ')}); ${advise('enum-unmapped', {}, { values: [v] }).words}`,
      'enum-unmapped',
    );
  return out;
}

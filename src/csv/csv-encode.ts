/**
 * The CSV dialect every converge file uses, chosen to be exactly what Postgres's
 * `COPY … (FORMAT csv)` reads with its defaults:
 * - fields separated by ',', records by '\n', first record is the header;
 * - NULL is an empty, unquoted field; the empty string is `""` (so the two never merge);
 * - a field is quoted when it is empty or holds '"', ',', '\n' or '\r'; quotes are doubled;
 * - binary values are written as `\x` + lower-case hex (bytea's input form).
 * Hand-written because it is the innermost loop of export and transform.
 */
export function encodeField(v: string | null): string {
  if (v === null) return '';
  const n = v.length;
  if (n === 0) return '""';
  // A charCode scan, not a regex: this runs once per value. All four specials lie below 45.
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c <= 44 && (c === 44 || c === 34 || c === 10 || c === 13)) return quoteField(v);
  }
  // A field starting with the end-of-data marker `\.` would end COPY early in text mode; in CSV
  // mode Postgres only treats an unquoted `\.` alone on a line specially, so quote it too.
  if (n === 2 && v === '\\.') return '"\\."';
  return v;
}

const QUOTE = /"/g;

function quoteField(v: string): string {
  return '"' + (v.indexOf('"') === -1 ? v : v.replace(QUOTE, '""')) + '"';
}

export function encodeRecord(fields: ReadonlyArray<string | null>): string {
  return encodeLine(fields) + '\n';
}

/**
 * A record without its '\n'. Array join writes NULL as the empty string, which is our NULL, so a
 * record needing no quotes is one join: one flat string, none of the per-field ropes of `+=`.
 */
export function encodeLine(fields: ReadonlyArray<string | null>): string {
  let out: Array<string | null> | undefined;
  const n = fields.length;
  for (let i = 0; i < n; i++) {
    const v = fields[i];
    if (v === null) continue;
    const e = encodeField(v);
    if (e !== v) (out ??= fields.slice())[i] = e;
  }
  return (out ?? fields).join(',');
}

export function bytesToHexField(b: Buffer): string {
  return '\\x' + b.toString('hex');
}

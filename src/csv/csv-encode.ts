/**
 * The CSV dialect every converge file uses, chosen to be exactly what Postgres's
 * `COPY … (FORMAT csv)` reads with its defaults:
 * - fields separated by ',', records by '\n', first record is the header;
 * - NULL is an empty, unquoted field; the empty string is `""` (so the two never merge);
 * - a field is quoted when it is empty or holds '"', ',', '\n' or '\r'; quotes are doubled;
 * - binary values are written as `\x` + lower-case hex (bytea's input form).
 * Hand-written because it is the innermost loop of export and transform.
 */
const NEEDS_QUOTE = /[",\n\r]/;

export function encodeField(v: string | null): string {
  if (v === null) return '';
  if (v.length === 0) return '""';
  // A field starting with the end-of-data marker `\.` would end COPY early in text mode; in CSV
  // mode Postgres only treats an unquoted `\.` alone on a line specially, so quote it too.
  if (NEEDS_QUOTE.test(v) || v === '\\.') return '"' + v.replace(/"/g, '""') + '"';
  return v;
}

export function encodeRecord(fields: ReadonlyArray<string | null>): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += ',';
    out += encodeField(fields[i]);
  }
  return out + '\n';
}

export function bytesToHexField(b: Buffer): string {
  return '\\x' + b.toString('hex');
}

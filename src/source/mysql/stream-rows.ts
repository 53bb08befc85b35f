import { exportEncoding, isFloat32, MysqlTable, selectExpression } from './catalog';
import { quoteMysql } from './quote';

type Field = { name: string; string(encoding?: string): string | null; buffer(): Buffer | null };

/**
 * Every value as the server's own text (decoded as UTF-8), binary columns as bytes. The wire
 * field carries no charset in mysql2's typeCast, so binary-ness comes from the catalog, by the
 * column alias. No JS numbers (they round bigint and decimal), no JS dates (they shift zones and
 * lose microseconds and zero dates). FLOAT columns (selected as DOUBLE) get their shortest
 * text that reads back as the same single-precision value.
 */
export function rawTypeCast(
  binaryColumns: Set<string>,
  float32Columns?: Set<string>,
): (field: Field) => string | Buffer | null {
  if (!float32Columns?.size) return (field) => (binaryColumns.has(field.name) ? field.buffer() : field.string('utf8'));
  return (field) => {
    if (binaryColumns.has(field.name)) return field.buffer();
    const s = field.string('utf8');
    return s !== null && float32Columns.has(field.name) ? shortestFloat32(s) : s;
  };
}

/** The shortest decimal text that parses to the same float32 as `text` (a double's text). */
export function shortestFloat32(text: string): string {
  const x = Number(text);
  if (!Number.isFinite(x)) return text;
  const f = Math.fround(x);
  for (let p = 1; p < 10; p++) {
    const s = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(s)) === f) return Object.is(f, -0) ? '-0' : s;
  }
  return text;
}

/** SELECT list with every expression aliased to its column name, and the columns read specially. */
export function selectList(table: MysqlTable): { select: string; binary: Set<string>; float32: Set<string> } {
  return {
    select: table.columns.map((c) => `${selectExpression(c, quoteMysql(c.name))} AS ${quoteMysql(c.name)}`).join(', '),
    binary: new Set(table.columns.filter((c) => exportEncoding(c) === 'hex').map((c) => c.name)),
    float32: new Set(table.columns.filter(isFloat32).map((c) => c.name)),
  };
}

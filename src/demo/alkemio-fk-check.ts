import { MysqlConnection } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';

export interface ForeignKeyViolation {
  constraint: string;
  table: string;
  column: string;
  referencedTable: string;
  /** Rows whose value points at nothing. */
  rows: number;
}

interface FkRow {
  name: string;
  tbl: string;
  col: string;
  refTable: string;
  refCol: string;
}

/**
 * Checks every single-column foreign key of the current database by query, for data loaded
 * with foreign_key_checks off (MySQL does not re-check when the setting comes back on).
 */
export async function findForeignKeyViolations(
  conn: MysqlConnection,
): Promise<{ checked: number; violations: ForeignKeyViolation[] }> {
  const [rows] = await conn.query(
    `SELECT k.constraint_name AS name, k.table_name AS tbl, k.column_name AS col,
            k.referenced_table_name AS refTable, k.referenced_column_name AS refCol
       FROM information_schema.key_column_usage k
      WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
      ORDER BY k.table_name, k.constraint_name`,
  );
  const fks = rows as FkRow[];
  const violations: ForeignKeyViolation[] = [];
  for (const fk of fks) {
    const [res] = await conn.query(
      `SELECT count(*) AS n FROM ${quoteMysql(fk.tbl)} c
        WHERE c.${quoteMysql(fk.col)} IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${quoteMysql(fk.refTable)} p WHERE p.${quoteMysql(fk.refCol)} = c.${quoteMysql(fk.col)})`,
    );
    const n = Number((res as Array<{ n: number | string }>)[0].n);
    if (n > 0)
      violations.push({ constraint: fk.name, table: fk.tbl, column: fk.col, referencedTable: fk.refTable, rows: n });
  }
  return { checked: fks.length, violations };
}

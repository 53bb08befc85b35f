/**
 * Type names Postgres's grammar accepts (any identifier can name a type) but that only exist in
 * MySQL, so the migration would fail at execution with "type … does not exist". A table, not a
 * chain of ifs: the first entry whose name and modifiers match gives the Postgres type to use.
 */
export interface MysqlTypeRule {
  mysql: string;
  /** Restricts the entry to certain modifiers, as in tinyint(1), MySQL's boolean. */
  when?: (modifiers: number[]) => boolean;
  /** What to write instead; `(n)` is replaced by the original modifiers when there are any. */
  postgres: string;
}

export const MYSQL_TYPES: readonly MysqlTypeRule[] = [
  { mysql: 'tinyint', when: (m) => m.length === 1 && m[0] === 1, postgres: 'boolean' },
  { mysql: 'tinyint', postgres: 'smallint' },
  { mysql: 'mediumint', postgres: 'integer' },
  { mysql: 'datetime', postgres: 'timestamp(n)' },
  { mysql: 'tinytext', postgres: 'text' },
  { mysql: 'mediumtext', postgres: 'text' },
  { mysql: 'longtext', postgres: 'text' },
  { mysql: 'tinyblob', postgres: 'bytea' },
  { mysql: 'blob', postgres: 'bytea' },
  { mysql: 'mediumblob', postgres: 'bytea' },
  { mysql: 'longblob', postgres: 'bytea' },
  { mysql: 'binary', when: (m) => m.length === 1 && m[0] === 16, postgres: 'uuid (when it holds UUIDs) or bytea' },
  { mysql: 'binary', postgres: 'bytea' },
  { mysql: 'varbinary', postgres: 'bytea' },
  { mysql: 'double', postgres: 'double precision' },
  { mysql: 'year', postgres: 'smallint' },
  { mysql: 'nvarchar', postgres: 'varchar(n)' },
  { mysql: 'enum', postgres: 'an enum type created with CREATE TYPE … AS ENUM' },
];

/** The Postgres type for a MySQL-only type name, or undefined when the name is not one. */
export function postgresTypeFor(name: string, modifiers: number[]): string | undefined {
  const lower = name.toLowerCase();
  const rule = MYSQL_TYPES.find((r) => r.mysql === lower && (!r.when || r.when(modifiers)));
  if (!rule) return undefined;
  const mods = modifiers.length ? `(${modifiers.join(',')})` : '';
  return rule.postgres.replace('(n)', mods);
}

import type { PgSession } from './connect';

/** The server settings and privileges `converge doctor` judges. */
export interface PgServerFacts {
  version: string;
  encoding: string;
  timeZone: string;
  maxConnections: string;
  canCreateSchema: boolean;
  ssl: string | null;
}

export async function readPgServerFacts(client: PgSession): Promise<PgServerFacts> {
  const { rows } = await client.query(
    "SELECT version() AS version, current_setting('server_encoding') AS enc, current_setting('TimeZone') AS tz, current_setting('max_connections') AS maxconn, has_database_privilege(current_database(), 'CREATE') AS can_create, current_setting('ssl', true) AS ssl",
  );
  const v = rows[0];
  return {
    version: String(v.version),
    encoding: String(v.enc),
    timeZone: String(v.tz),
    maxConnections: String(v.maxconn),
    canCreateSchema: v.can_create === true,
    ssl: v.ssl ?? null,
  };
}

/** Base tables of the schema on which the session may not INSERT and TRUNCATE (what a load needs). */
export async function tablesWithoutLoadPrivileges(client: PgSession, schema: string): Promise<string[]> {
  const { rows } = await client.query(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND NOT (has_table_privilege(format('%I.%I', table_schema, table_name), 'INSERT') AND has_table_privilege(format('%I.%I', table_schema, table_name), 'TRUNCATE')) ORDER BY 1",
    [schema],
  );
  return rows.map((r: { t: string }) => r.t);
}

import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { openMysql } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { openPg, quotePg } from '../target/postgres/connect';

/** Drops and re-creates a scratch MySQL database (rehearsals and the demo only, never a real source). */
export async function recreateMysqlDatabase(server: ConnectionInfo, name: string): Promise<void> {
  const c = await openMysql(withDatabase(server, undefined));
  try {
    await c.query(`DROP DATABASE IF EXISTS ${quoteMysql(name)}`);
    await c.query(`CREATE DATABASE ${quoteMysql(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Drops and re-creates a scratch Postgres database. */
export async function recreatePgDatabase(server: ConnectionInfo, name: string): Promise<void> {
  const c = await openPg(withDatabase(server, 'postgres'));
  try {
    await c.query(`DROP DATABASE IF EXISTS ${quotePg(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quotePg(name)}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

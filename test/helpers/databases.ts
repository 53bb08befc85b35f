import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'pg';

/** The local servers the tests use; CI starts them when they do not answer. */
export const MYSQL_BASE = process.env.CONVERGE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const PG_BASE = process.env.CONVERGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

export function uniqueName(prefix: string): string {
  return `cvt_${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

export interface TestDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createMysqlDb(prefix: string): Promise<TestDb> {
  const name = uniqueName(prefix);
  const conn = await mysql.createConnection({ uri: MYSQL_BASE });
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    await conn.end();
  }
  return {
    name,
    url: `${MYSQL_BASE}/${name}`,
    async drop() {
      const c = await mysql.createConnection({ uri: MYSQL_BASE });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh Postgres database; with `template`, a copy of that one (which must have no open connection). */
export async function createPgDb(prefix: string, template?: string): Promise<TestDb> {
  const name = uniqueName(prefix);
  const c = new Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await c.end();
  }
  return {
    name,
    url: `${PG_BASE}/${name}`,
    async drop() {
      const d = new Client({ connectionString: `${PG_BASE}/postgres` });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}

import { Client } from 'pg';
import { markersAvailable } from '../../src/target/postgres/load/load-markers';
import { createPgDb, PG_BASE, TestDb, uniqueName } from '../helpers/databases';

/**
 * Whether the load can write its resume markers: false only when the table is missing or this
 * role may not write it; a lost connection is an error, never "no markers".
 */
let db: TestDb;
let admin: Client;
const role = uniqueName('markers_ro');

beforeAll(async () => {
  db = await createPgDb('load_markers');
  admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN`);
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
  const c = new Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    await c.query(`DROP ROLE IF EXISTS ${role}`);
  } finally {
    await c.end();
  }
});

async function connect(user?: string): Promise<Client> {
  const url = new URL(db.url);
  if (user) url.username = user;
  const c = new Client({ connectionString: url.toString() });
  c.on('error', () => undefined); // a terminated backend also emits 'error'; the query reports it
  await c.connect();
  return c;
}

test('no table: false; a table this role may write: true; a role without the schema: false', async () => {
  expect(await markersAvailable(admin)).toBe(false);
  await admin.query('CREATE SCHEMA converge');
  await admin.query('CREATE TABLE converge.run_events (id bigserial PRIMARY KEY)');
  expect(await markersAvailable(admin)).toBe(true);
  const ro = await connect(role);
  try {
    expect(await markersAvailable(ro)).toBe(false);
  } finally {
    await ro.end();
  }
});

test('a connection terminated under it is CONNECT_FAILED, not "no markers"', async () => {
  const victim = await connect();
  try {
    const { rows } = await victim.query('SELECT pg_backend_pid() AS pid');
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await expect(markersAvailable(victim)).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
  } finally {
    await victim.end().catch(() => undefined);
  }
});

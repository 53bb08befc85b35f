import type { Client } from 'pg';
import type { ConnectionInfo } from '../../../core/connection-url';
import { openPg } from '../connect';

/** converge CSV holds UTC wall time without an offset: timestamptz columns must read it as UTC, whatever the server's TimeZone. */
export async function utcSession(client: Client): Promise<Client> {
  await client.query(`SET TIME ZONE 'UTC'`);
  return client;
}

/** Opens `n` UTC sessions for a load's workers, runs body, and closes every one of them. */
export async function withLoadClients<T>(
  target: ConnectionInfo,
  n: number,
  name: string,
  body: (clients: Client[]) => Promise<T>,
): Promise<T> {
  const clients: Client[] = [];
  try {
    for (let i = 0; i < n; i++)
      clients.push(await utcSession(await openPg(target, { applicationName: `${name} ${i + 1}` })));
    return await body(clients);
  } finally {
    for (const c of clients) await c.end().catch(() => undefined);
  }
}

/** body inside BEGIN … COMMIT; any failure rolls back (a ROLLBACK that fails too leaves the first error). */
export async function inTransaction<T>(client: Client, body: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await body();
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

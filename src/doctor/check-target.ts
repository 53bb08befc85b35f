import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { messageOf } from '../core/errors';
import { openPg } from '../target/postgres/connect';
import { readPgServerFacts, tablesWithoutLoadPrivileges } from '../target/postgres/server-facts';
import type { Check } from './check-source';

/** What the import needs from Postgres: encoding, time zone, and the privileges it uses. */
export async function checkTarget(info: ConnectionInfo, opts: { schema?: string } = {}): Promise<Check[]> {
  const where = describeConnection(info);
  let client;
  try {
    client = await openPg(info, { applicationName: 'converge doctor' });
  } catch (e) {
    return [
      {
        end: 'target',
        name: 'connection',
        ok: false,
        value: messageOf(e),
        fix: `check that ${where} is reachable, the database exists and the credentials are right`,
      },
    ];
  }
  const out: Check[] = [];
  try {
    const v = await readPgServerFacts(client);
    out.push({
      end: 'target',
      name: 'connection',
      ok: true,
      value: `${where} (${String(v.version).split(' on ')[0]})`,
    });
    out.push({
      end: 'target',
      name: 'encoding',
      ok: v.encoding === 'UTF8',
      value: v.encoding,
      fix: 'create the database WITH ENCODING UTF8; other encodings cannot hold all MySQL utf8mb4 text',
    });
    out.push({
      end: 'target',
      name: 'time zone',
      ok: true,
      value: `${v.timeZone} (timestamp without time zone values are loaded as UTC wall time)`,
    });
    out.push({
      end: 'target',
      name: 'privilege CREATE (converge schema)',
      ok: v.canCreateSchema,
      value: v.canCreateSchema ? 'yes' : 'no',
      fix: 'GRANT CREATE ON DATABASE <db> TO <user>, or create schema converge for the user beforehand',
    });
    const schema = opts.schema ?? 'public';
    const denied = await tablesWithoutLoadPrivileges(client, schema);
    out.push({
      end: 'target',
      name: `privilege INSERT, TRUNCATE (schema ${schema})`,
      ok: denied.length === 0,
      value:
        denied.length === 0
          ? 'yes, on every table'
          : `missing on ${denied.length} table(s): ${denied.slice(0, 5).join(', ')}${denied.length > 5 ? ', …' : ''}`,
      fix: `GRANT INSERT, TRUNCATE, SELECT ON ALL TABLES IN SCHEMA ${schema} TO <user> (import loads with COPY; --truncate and rollback empty tables)`,
    });
  } catch (e) {
    out.push({ end: 'target', name: 'server settings', ok: false, value: messageOf(e) });
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client.end().catch(() => undefined);
  }
  return out;
}

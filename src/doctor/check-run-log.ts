import { randomUUID } from 'node:crypto';
import { ConnectionInfo } from '../core/connection-url';
import { messageOf } from '../core/errors';
import { RUN_MIGRATIONS_DIR } from '../run/run-recorder';
import { readMigrationDir } from '../schema/migration-files';
import { openPg } from '../target/postgres/connect';
import { hasRunHistory, probeRunHistory } from '../target/postgres/run-history';
import type { Check } from './check-source';

/**
 * Proves the run history works end to end without psql: writes a run and an event and reads the
 * event back inside a transaction it rolls back. A target without the converge schema gets it
 * created inside that same transaction, so doctor leaves the target exactly as it found it (the
 * first real run creates the schema).
 */
export async function checkRunLog(target: ConnectionInfo): Promise<Check> {
  const name = 'run log write and read-back';
  const fix =
    'GRANT CREATE ON DATABASE <db> TO <user> (or create schema converge owned by the user); until then runs write events.jsonl in the work directory and `converge runs replay` loads it later';
  let client;
  try {
    client = await openPg(target, { applicationName: 'converge doctor' });
  } catch (e) {
    return { end: 'target', name, ok: false, value: messageOf(e), fix };
  }
  try {
    const exists = await hasRunHistory(client);
    const createWith = exists ? undefined : (await readMigrationDir(RUN_MIGRATIONS_DIR)).map((f) => f.sql);
    const ok = await probeRunHistory(client, randomUUID(), randomUUID(), createWith);
    return {
      end: 'target',
      name,
      ok,
      value: !ok
        ? 'the event read back differs from the one written'
        : exists
          ? 'converge.run_events: event written and read back (then rolled back)'
          : 'no converge schema yet: created, event written and read back, all rolled back (the first run creates it)',
      fix,
    };
  } catch (e) {
    const value = `${messageOf(e)} (rolled back: nothing was created)`;
    return { end: 'target', name, ok: false, value, fix };
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client.end().catch(() => undefined);
  }
}

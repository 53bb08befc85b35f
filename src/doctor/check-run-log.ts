import { randomUUID } from 'node:crypto';
import { ConnectionInfo } from '../core/connection-url';
import { messageOf } from '../core/errors';
import { ensureRunSchema } from '../run/run-recorder';
import { openPg } from '../target/postgres/connect';
import { probeRunHistory } from '../target/postgres/run-history';
import type { Check } from './check-source';

/**
 * Proves the run history works end to end without psql: creates or upgrades the converge
 * schema, writes a run and an event, reads the event back, then rolls the write back so the
 * history holds only real runs.
 */
export async function checkRunLog(target: ConnectionInfo): Promise<Check> {
  const name = 'run log write and read-back';
  const fix =
    'GRANT CREATE ON DATABASE <db> TO <user> (or create schema converge owned by the user); until then runs write events.jsonl in the work directory and `converge runs replay` loads it later';
  try {
    await ensureRunSchema(target);
  } catch (e) {
    return { end: 'target', name, ok: false, value: `cannot create the converge schema: ${messageOf(e)}`, fix };
  }
  let client;
  try {
    client = await openPg(target, { applicationName: 'converge doctor' });
  } catch (e) {
    return { end: 'target', name, ok: false, value: messageOf(e), fix };
  }
  const id = randomUUID();
  const probe = randomUUID();
  try {
    const ok = await probeRunHistory(client, id, probe);
    return {
      end: 'target',
      name,
      ok,
      value: ok
        ? 'converge.run_events: event written and read back (then rolled back)'
        : 'the event read back differs from the one written',
      fix,
    };
  } catch (e) {
    return { end: 'target', name, ok: false, value: messageOf(e), fix };
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client.end().catch(() => undefined);
  }
}

import type { PgSession } from '../connect';
import { qualifiedPg, quotePg } from '../connect';

/**
 * A user trigger switched off for a load and restored to its exact state afterwards (ENABLE,
 * ENABLE ALWAYS or ENABLE REPLICA). Both are ALTER TABLE in the caller's transaction, so a crash
 * or a rollback leaves the trigger as it was.
 */
export interface UserTrigger {
  schema: string;
  table: string;
  name: string;
  /** pg_trigger.tgenabled: 'O' origin, 'A' always, 'R' replica. */
  enabled: string;
}

export async function disableTrigger(client: PgSession, t: UserTrigger): Promise<void> {
  await client.query(`ALTER TABLE ${qualifiedPg(t.schema, t.table)} DISABLE TRIGGER ${quotePg(t.name)}`);
}

export async function restoreTrigger(client: PgSession, t: UserTrigger): Promise<void> {
  const verb = t.enabled === 'A' ? 'ENABLE ALWAYS' : t.enabled === 'R' ? 'ENABLE REPLICA' : 'ENABLE';
  await client.query(`ALTER TABLE ${qualifiedPg(t.schema, t.table)} ${verb} TRIGGER ${quotePg(t.name)}`);
}

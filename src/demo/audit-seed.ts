import { MysqlConnection } from '../source/mysql/connect';
import { createPrng } from './generic-prng';
import { insertRows } from './generic-insert-rows';
import { buildAuditRows } from './audit-rows';
import { checkScale, SeedOptions } from './erp-seed';

export const DEFAULT_AUDIT_SEED = 20240301;

/**
 * Fills the legacy sync audit MySQL database (migrations/audit/mysql) with deterministic rows.
 * Scale 1 gives 24 sessions with their participants and events. One transaction. Returns rows
 * inserted per table.
 */
export async function seedAudit(conn: MysqlConnection, opts: SeedOptions): Promise<Record<string, number>> {
  checkScale(opts.scale);
  const rows = buildAuditRows(createPrng(opts.seed ?? DEFAULT_AUDIT_SEED), Math.max(1, Math.round(24 * opts.scale)));
  const counts: Record<string, number> = {};
  await conn.query('START TRANSACTION');
  try {
    counts.sync_sessions = await insertRows(conn, 'sync_sessions', rows.sync_sessions);
    counts.sync_participants = await insertRows(conn, 'sync_participants', rows.sync_participants);
    counts.sync_events = await insertRows(conn, 'sync_events', rows.sync_events);
    await conn.query('COMMIT');
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return counts;
}

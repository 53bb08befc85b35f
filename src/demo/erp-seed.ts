import { ConvergeError, messageOf } from '../core/errors';
import { MysqlConnection } from '../source/mysql/connect';
import { createPrng } from './generic-prng';
import { insertRows } from './generic-insert-rows';
import { buildErpCoreRows } from './erp-core-rows';
import { buildAgentRows } from './erp-agent-rows';

export interface SeedOptions {
  /** 1 gives a few hundred rows over the 38 tables; row counts grow linearly with it. */
  scale: number;
  /** Same seed, same rows: a verifier can rely on them. */
  seed?: number;
}

export const DEFAULT_ERP_SEED = 20231102;

/**
 * Fills the legacy ERP/agent MySQL database (migrations/erp/mysql) with deterministic rows:
 * every table gets rows, every foreign key points at a real row, and hard values (unicode,
 * quotes, newlines, '' next to NULL, nested JSON, JSON null) are planted on purpose.
 * One transaction: on failure nothing is left behind. Returns rows inserted per table.
 */
export async function seedErp(conn: MysqlConnection, opts: SeedOptions): Promise<Record<string, number>> {
  checkScale(opts.scale);
  const rng = createPrng(opts.seed ?? DEFAULT_ERP_SEED);
  const core = buildErpCoreRows(rng, opts.scale);
  const agent = buildAgentRows(rng, opts.scale, core.counts);
  const counts: Record<string, number> = {};
  await conn.query('START TRANSACTION');
  try {
    for (const t of [...core.tables, ...agent.tables]) counts[t.table] = await insertRows(conn, t.table, t.rows);
    await promoteFacts(conn, agent.promotions);
    await conn.query('COMMIT');
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return counts;
}

/** Closes the events <-> facts cycle. Assigning updated_at to itself stops ON UPDATE from restamping it. */
async function promoteFacts(conn: MysqlConnection, promotions: Array<[number, number]>): Promise<void> {
  for (let i = 0; i < promotions.length; i += 500) {
    const chunk = promotions.slice(i, i + 500);
    const cases = chunk.map(() => 'WHEN ? THEN ?').join(' ');
    const sql = `UPDATE agent_events SET promoted_fact_id = CASE id ${cases} END, updated_at = updated_at WHERE id IN (${chunk.map(() => '?').join(', ')})`;
    try {
      await conn.query(sql, [...chunk.flat(), ...chunk.map(([eventId]) => eventId)]);
    } catch (e) {
      throw new ConvergeError(
        'LOAD_REJECTED',
        `seeding agent_events.promoted_fact_id failed: ${messageOf(e)}`,
        { stage: 'demo', table: 'agent_events' },
        { cause: e },
      );
    }
  }
}

export function checkScale(scale: number): void {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new ConvergeError('USAGE', `seed scale must be a number above 0, got ${scale}`, {
      stage: 'demo',
      value: String(scale),
    });
  }
}

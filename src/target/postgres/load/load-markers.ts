import type { Client } from 'pg';
import { classifyLoadError } from './load-error';

/**
 * What makes `--resume` safe: a `table.loaded` event is written into converge.run_events by the
 * load's own transaction, so it exists exactly when the table's rows were committed. A kill -9
 * leaves either both or neither. Each import attempt starts with a `stage.started` event; a
 * resumed attempt trusts the loads recorded since the last attempt that was not a resume.
 */
export interface LoadMarker {
  table: string;
  kind: 'table.loaded' | 'table.seed_replaced';
  payload: { rows: number; total?: number; seconds?: number; rejected?: number };
}

/**
 * Whether this role can write the markers. The CASE checks the privilege only on a table that
 * exists (AND does not promise that order), so a missing table is false, not an error; a role
 * without USAGE on the converge schema is false too. Anything else (a lost connection, a bug)
 * fails: reading it as "no markers" would make --resume refuse, or a load run without them.
 */
export async function markersAvailable(client: Client): Promise<boolean> {
  try {
    const { rows } = await client.query(
      `SELECT CASE WHEN to_regclass('converge.run_events') IS NULL THEN false
                   ELSE has_table_privilege(to_regclass('converge.run_events'), 'INSERT') END AS ok`,
    );
    return !!rows[0]?.ok;
  } catch (e) {
    if ((e as { code?: unknown }).code === '42501') return false; // insufficient_privilege
    throw classifyLoadError(e, { stage: 'import' });
  }
}

export async function writeMarker(client: Client, runId: string, m: LoadMarker): Promise<void> {
  await client.query(
    `INSERT INTO converge.run_events (run_id, kind, stage, table_name, payload) VALUES ($1, $2, 'import', $3, $4)`,
    [runId, m.kind, m.table, JSON.stringify(m.payload)],
  );
}

export async function startAttempt(client: Client, runId: string, payload: Record<string, unknown>): Promise<void> {
  await client.query(
    `INSERT INTO converge.run_events (run_id, kind, stage, payload) VALUES ($1, 'stage.started', 'import', $2)`,
    [runId, JSON.stringify(payload)],
  );
}

/** Loads committed since the last attempt that started afresh (not with --resume). */
export async function committedLoads(client: Client, runId: string): Promise<LoadMarker[]> {
  const { rows } = await client.query(
    `SELECT kind, table_name, payload FROM converge.run_events
     WHERE run_id = $1 AND kind IN ('table.loaded', 'table.seed_replaced') AND stage = 'import'
       AND id > COALESCE((SELECT max(id) FROM converge.run_events WHERE run_id = $1 AND kind = 'stage.started' AND stage = 'import'
                          AND NOT COALESCE((payload->>'resume')::boolean, false)), 0)
     ORDER BY id`,
    [runId],
  );
  return rows.map((r) => ({ table: r.table_name, kind: r.kind, payload: r.payload }));
}

import type { Client } from 'pg';

/** Where a pipeline's follow stands (converge.follow_state, one row per pipeline). */
export interface FollowState {
  pipeline: string;
  runId: string | null;
  start: { file: string; position: number };
  position: { file: string; position: number };
  /** MariaDB's GTID positions at start and at position (null: not known; see gtid.ts). */
  startGtid: string | null;
  gtid: string | null;
  sourceAt: string | null;
  appliedAt: string;
  transactions: number;
  changes: number;
  stopAt: { file: string; position: number } | null;
  status: 'starting' | 'following' | 'holding' | 'stopped' | 'failed' | 'switched';
  /** A checkpoint asks the follower to hold: at once (at: null) or once it has applied up to `at`. */
  hold: { at: { file: string; position: number } | null } | null;
  error: string | null;
  existing: Record<string, string[]>;
  /** Net rows the follow added per target table ("schema.table"; negative: removed), since the load. */
  rowDelta: Record<string, number>;
}

function stateRow(r: Record<string, unknown>): FollowState {
  return {
    pipeline: String(r.pipeline),
    runId: r.run_id === null ? null : String(r.run_id),
    start: { file: String(r.start_file), position: Number(r.start_pos) },
    position: { file: String(r.binlog_file), position: Number(r.binlog_pos) },
    startGtid: (r.start_gtid as string | null | undefined) ?? null,
    gtid: (r.gtid as string | null | undefined) ?? null,
    sourceAt: r.source_at ? new Date(r.source_at as string).toISOString() : null,
    appliedAt: new Date(r.applied_at as string).toISOString(),
    transactions: Number(r.transactions),
    changes: Number(r.changes),
    stopAt: r.stop_file ? { file: String(r.stop_file), position: Number(r.stop_pos) } : null,
    status: r.status as FollowState['status'],
    hold: r.hold ? { at: r.hold_file ? { file: String(r.hold_file), position: Number(r.hold_pos) } : null } : null,
    error: (r.error as string | null) ?? null,
    existing: (r.existing as Record<string, string[]>) ?? {},
    rowDelta: Object.fromEntries(
      Object.entries((r.row_delta as Record<string, number | string> | undefined) ?? {}).map(([k, v]) => [
        k,
        Number(v),
      ]),
    ),
  };
}

export async function readFollowState(client: Client, pipeline: string): Promise<FollowState | undefined> {
  const exists = await client.query("SELECT to_regclass('converge.follow_state') IS NOT NULL AS ok");
  if (!exists.rows[0].ok) return undefined;
  const { rows } = await client.query('SELECT * FROM converge.follow_state WHERE pipeline = $1', [pipeline]);
  return rows[0] ? stateRow(rows[0]) : undefined;
}

/** After a snapshot load: following starts at the snapshot's position (a new load replaces an old follow). */
export async function startFollowState(
  client: Client,
  s: {
    pipeline: string;
    runId: string | null;
    file: string;
    position: number;
    gtid: string | null;
    existing: Record<string, string[]>;
  },
): Promise<void> {
  await client.query(
    `INSERT INTO converge.follow_state (pipeline, run_id, start_file, start_pos, binlog_file, binlog_pos, existing,
       start_gtid, gtid)
     VALUES ($1, $2, $3, $4, $3, $4, $5, $6, $6)
     ON CONFLICT (pipeline) DO UPDATE SET run_id = $2, start_file = $3, start_pos = $4, binlog_file = $3,
       binlog_pos = $4, source_at = NULL, applied_at = now(), transactions = 0, changes = 0, stop_file = NULL,
       stop_pos = NULL, status = 'starting', error = NULL, existing = $5, row_delta = '{}'::jsonb, hold = false,
       hold_file = NULL, hold_pos = NULL, start_gtid = $6, gtid = $6`,
    [s.pipeline, s.runId, s.file, s.position, JSON.stringify(s.existing), s.gtid],
  );
  // A checkpoint proved the previous load's follow: it says nothing of this one.
  await client.query('DELETE FROM converge.follow_checkpoints WHERE pipeline = $1', [s.pipeline]);
  await client.query('DELETE FROM converge.follow_touched WHERE pipeline = $1', [s.pipeline]);
}

/**
 * The position after the transactions just applied; called inside the same target transaction
 * as their changes, which is what makes a crash lose nothing and apply nothing twice.
 */
export async function advanceFollowState(
  client: Client,
  pipeline: string,
  a: {
    file: string;
    position: number;
    /** MariaDB's GTID position there (null: not known). */
    gtid: string | null;
    sourceAt: number;
    transactions: number;
    changes: number;
    /** Net rows added per table by these transactions (applyOps' delta). */
    rows?: ReadonlyMap<string, number>;
  },
): Promise<void> {
  const rows = a.rows && a.rows.size ? JSON.stringify(Object.fromEntries(a.rows)) : null;
  await client.query(
    `UPDATE converge.follow_state SET binlog_file = $2, binlog_pos = $3, gtid = $8,
       source_at = to_timestamp($4::float8 / 1000),
       applied_at = now(), transactions = transactions + $5, changes = changes + $6,
       row_delta = CASE WHEN $7::jsonb IS NULL THEN row_delta ELSE (
         SELECT jsonb_object_agg(k, n) FROM (
           SELECT k, sum(n) AS n FROM (
             SELECT key AS k, value::text::bigint AS n FROM jsonb_each(row_delta)
             UNION ALL SELECT key, value::text::bigint FROM jsonb_each($7::jsonb)
           ) d GROUP BY k
         ) s) END
     WHERE pipeline = $1`,
    [pipeline, a.file, a.position, a.sourceAt, a.transactions, a.changes, rows, a.gtid],
  );
}

/** The follow of a run (the one its load started), if the target still records it. */
export async function followStateOfRun(client: Client, runId: string): Promise<FollowState | undefined> {
  const exists = await client.query("SELECT to_regclass('converge.follow_state') IS NOT NULL AS ok");
  if (!exists.rows[0].ok) return undefined;
  const { rows } = await client.query('SELECT * FROM converge.follow_state WHERE run_id = $1', [runId]);
  return rows[0] ? stateRow(rows[0]) : undefined;
}

/** converge rollback: the follow of a removed load cannot resume onto emptied tables. */
export async function forgetFollowState(client: Client, pipeline: string): Promise<void> {
  await client.query('DELETE FROM converge.follow_state WHERE pipeline = $1', [pipeline]);
}

export async function setFollowStatus(
  client: Client,
  pipeline: string,
  status: FollowState['status'],
  error?: string,
): Promise<void> {
  await client.query('UPDATE converge.follow_state SET status = $2, error = $3 WHERE pipeline = $1', [
    pipeline,
    status,
    error ?? null,
  ]);
}

/** converge cutover: the follower stops once it has applied everything before `at`. */
export async function requestFollowStop(
  client: Client,
  pipeline: string,
  at: { file: string; position: number },
): Promise<void> {
  await client.query('UPDATE converge.follow_state SET stop_file = $2, stop_pos = $3 WHERE pipeline = $1', [
    pipeline,
    at.file,
    at.position,
  ]);
}

/**
 * One follower per pipeline: a session-level advisory lock held while following. cutover
 * takes it too, so it knows when the follower has stopped (or that none runs).
 */
export async function tryFollowLock(client: Client, pipeline: string): Promise<boolean> {
  const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtext('converge.follow'), hashtext($1)) AS ok", [
    pipeline,
  ]);
  return rows[0].ok === true;
}

export async function releaseFollowLock(client: Client, pipeline: string): Promise<void> {
  await client.query("SELECT pg_advisory_unlock(hashtext('converge.follow'), hashtext($1))", [pipeline]);
}

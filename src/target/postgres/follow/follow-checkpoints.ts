import type { Client } from 'pg';

/**
 * Verified checkpoints of a follow (converge.follow_checkpoints) and the keys the follow touched
 * since the latest one (converge.follow_touched): what lets converge cutover prove only the rows
 * changed after a proof taken while the application still wrote.
 */
export interface Checkpoint {
  id: number;
  pipeline: string;
  runId: string | null;
  position: { file: string; position: number };
  /** MariaDB's GTID position at `position` (null: not known). */
  gtid: string | null;
  takenAt: string;
  verifiedAt: string | null;
  status: 'verifying' | 'verified' | 'failed';
  tables: number | null;
  error: string | null;
}

function checkpointRow(r: Record<string, unknown>): Checkpoint {
  return {
    id: Number(r.id),
    pipeline: String(r.pipeline),
    runId: r.run_id === null ? null : String(r.run_id),
    position: { file: String(r.binlog_file), position: Number(r.binlog_pos) },
    gtid: (r.gtid as string | null | undefined) ?? null,
    takenAt: new Date(r.taken_at as string).toISOString(),
    verifiedAt: r.verified_at ? new Date(r.verified_at as string).toISOString() : null,
    status: r.status as Checkpoint['status'],
    tables: r.tables === null ? null : Number(r.tables),
    error: (r.error as string | null) ?? null,
  };
}

/** Asks the follower to hold: at once (at: null), or once it has applied exactly up to `at`. */
export async function requestHold(
  client: Client,
  pipeline: string,
  at: { file: string; position: number } | null,
): Promise<void> {
  await client.query(
    'UPDATE converge.follow_state SET hold = true, hold_file = $2, hold_pos = $3 WHERE pipeline = $1',
    [pipeline, at?.file ?? null, at?.position ?? null],
  );
}

export async function releaseHold(client: Client, pipeline: string): Promise<void> {
  await client.query(
    'UPDATE converge.follow_state SET hold = false, hold_file = NULL, hold_pos = NULL WHERE pipeline = $1',
    [pipeline],
  );
}

/**
 * The target stands still at `at`: a checkpoint starts there. The keys touched before it are
 * forgotten in the same transaction (the checkpoint's proof covers them).
 */
export async function beginCheckpoint(
  client: Client,
  c: { pipeline: string; runId: string | null; at: { file: string; position: number }; gtid: string | null },
): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('DELETE FROM converge.follow_touched WHERE pipeline = $1', [c.pipeline]);
    const { rows } = await client.query(
      'INSERT INTO converge.follow_checkpoints (pipeline, run_id, binlog_file, binlog_pos, gtid) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [c.pipeline, c.runId, c.at.file, c.at.position, c.gtid],
    );
    await client.query('COMMIT');
    return Number(rows[0].id);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export async function endCheckpoint(
  client: Client,
  id: number,
  r: { ok: true; tables: number } | { ok: false; error: string },
): Promise<void> {
  await client.query(
    `UPDATE converge.follow_checkpoints SET status = $2, verified_at = CASE WHEN $2 = 'verified' THEN now() END,
       tables = $3, error = $4 WHERE id = $1`,
    [id, r.ok ? 'verified' : 'failed', r.ok ? r.tables : null, r.ok ? null : r.error],
  );
}

/** The pipeline's latest checkpoint (the only one the touched keys are counted from). */
export async function latestCheckpoint(client: Client, pipeline: string): Promise<Checkpoint | undefined> {
  const { rows } = await client.query(
    'SELECT * FROM converge.follow_checkpoints WHERE pipeline = $1 ORDER BY id DESC LIMIT 1',
    [pipeline],
  );
  return rows[0] ? checkpointRow(rows[0]) : undefined;
}

/** Keys one flush touched: by source table, source keys and target keys (JSON arrays of text values). */
export type TouchedKeys = Map<string, { source: Set<string>; target: Set<string> }>;

/** Called inside the follower's transaction, with the changes whose keys these are. */
export async function recordTouched(client: Client, pipeline: string, touched: TouchedKeys): Promise<void> {
  const tables: string[] = [];
  const sides: string[] = [];
  const keys: string[] = [];
  for (const [table, t] of touched) {
    for (const k of t.source) (tables.push(table), sides.push('s'), keys.push(k));
    for (const k of t.target) (tables.push(table), sides.push('t'), keys.push(k));
  }
  if (!keys.length) return;
  await client.query(
    `INSERT INTO converge.follow_touched (pipeline, source_table, side, key)
     SELECT $1, t, s, k FROM unnest($2::text[], $3::text[], $4::text[]) AS u (t, s, k)
     ON CONFLICT DO NOTHING`,
    [pipeline, tables, sides, keys],
  );
}

/** The keys touched since the latest checkpoint, by source table. */
export async function readTouched(client: Client, pipeline: string): Promise<TouchedKeys> {
  const { rows } = await client.query(
    'SELECT source_table, side, key FROM converge.follow_touched WHERE pipeline = $1',
    [pipeline],
  );
  const out: TouchedKeys = new Map();
  for (const r of rows as Array<{ source_table: string; side: string; key: string }>) {
    let t = out.get(r.source_table);
    if (!t) out.set(r.source_table, (t = { source: new Set(), target: new Set() }));
    (r.side === 's' ? t.source : t.target).add(r.key);
  }
  return out;
}

/**
 * A checkpoint holds this lock (session-level) from before it asks the follower to hold until it
 * releases the hold: a follower holding finds it free only when the checkpoint's process died.
 */
export async function tryCheckpointLock(client: Client, pipeline: string): Promise<boolean> {
  const { rows } = await client.query(
    "SELECT pg_try_advisory_lock(hashtext('converge.checkpoint'), hashtext($1)) AS ok",
    [pipeline],
  );
  return rows[0].ok === true;
}

export async function releaseCheckpointLock(client: Client, pipeline: string): Promise<void> {
  await client.query("SELECT pg_advisory_unlock(hashtext('converge.checkpoint'), hashtext($1))", [pipeline]);
}

/** Whether no checkpoint process holds its lock (then nobody will release a hold). */
export async function checkpointGone(client: Client, pipeline: string): Promise<boolean> {
  if (!(await tryCheckpointLock(client, pipeline))) return false;
  await releaseCheckpointLock(client, pipeline);
  return true;
}

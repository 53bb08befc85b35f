import type { Client } from 'pg';
import { ConvergeError } from '../../../core/errors';

/**
 * One load at a time per target database and pipeline. Two imports (or migrates) into the same
 * tables would both pass the empty-table check and both COPY: a table without a primary key
 * would end with every row twice. The load takes a session-level advisory lock on its control
 * connection before it looks at the target, and holds it until that connection closes; a
 * process killed with -9 loses its session and so its lock, and nothing is left held.
 * (Advisory lock keys are per database, so the pipeline name is the key within the target.)
 */
const NAMESPACE = 'converge load';

export interface LockHolder {
  pid: number;
  application: string;
  since: string;
  runId?: string;
}

/** Takes the lock or refuses with TARGET_BUSY naming who holds it; with a run history, marks runs that died holding it. */
export async function lockTargetForLoad(
  client: Client,
  pipeline: string,
  run?: { runId: string; history: boolean },
): Promise<void> {
  const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [
    NAMESPACE,
    pipeline,
  ]);
  if (!rows[0].ok) {
    const holder = await lockHolder(client, pipeline, !!run?.history);
    const who = holder
      ? `${holder.runId ? `run ${holder.runId}, ` : ''}${holder.application || 'a session'} (pid ${holder.pid}) since ${holder.since}`
      : 'another session';
    throw new ConvergeError(
      'TARGET_BUSY',
      `another load of pipeline ${pipeline} into this target is running: ${who}; wait for it to end, or stop it (pg_terminate_backend(${holder?.pid ?? 'pid'})) if it is stuck`,
      { stage: 'import', pipeline, holderPid: holder?.pid, holderRun: holder?.runId },
    );
  }
  if (run?.history) {
    await markAbandonedRuns(client, pipeline, run.runId);
    await client.query(
      `INSERT INTO converge.run_events (run_id, kind, stage, payload) VALUES ($1, 'load.locked', 'import', $2)`,
      [run.runId, JSON.stringify({ pid: (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid })],
    );
  }
}

/** The session holding the pipeline's lock, and the run it recorded, if any. */
export async function lockHolder(client: Client, pipeline: string, history: boolean): Promise<LockHolder | undefined> {
  const { rows } = await client.query(
    `SELECT a.pid, coalesce(a.application_name, '') AS application, a.backend_start::text AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = hashtext($1)::oid AND l.objid = hashtext($2)::oid`,
    [NAMESPACE, pipeline],
  );
  if (!rows.length) return undefined;
  const h: LockHolder = { pid: rows[0].pid, application: rows[0].application, since: rows[0].since };
  if (history) {
    const r = await client.query(
      `SELECT e.run_id FROM converge.run_events e JOIN converge.runs r ON r.id = e.run_id
        WHERE e.kind = 'load.locked' AND r.status = 'running' AND r.pipeline = $1 AND (e.payload->>'pid')::int = $2
        ORDER BY e.id DESC LIMIT 1`,
      [pipeline, h.pid],
    );
    h.runId = r.rows[0]?.run_id;
  }
  return h;
}

/**
 * A run still "running" that took this lock earlier is dead now (the lock is ours): it ended
 * without finishing, e.g. killed with -9. It is marked failed, with a run.abandoned event.
 */
async function markAbandonedRuns(client: Client, pipeline: string, current: string): Promise<void> {
  const { rows } = await client.query(
    `UPDATE converge.runs r SET status = 'failed', ended_at = greatest(now(), r.started_at)
      WHERE r.status = 'running' AND r.pipeline = $1 AND r.id <> $2
        AND EXISTS (SELECT 1 FROM converge.run_events e WHERE e.run_id = r.id AND e.kind = 'load.locked')
      RETURNING r.id`,
    [pipeline, current],
  );
  for (const r of rows)
    await client.query(
      `INSERT INTO converge.run_events (run_id, kind, stage, payload) VALUES ($1, 'run.abandoned', 'import', $2)`,
      [
        r.id,
        JSON.stringify({ reason: 'the run ended without finishing (its load lock was free)', noticedBy: current }),
      ],
    );
}

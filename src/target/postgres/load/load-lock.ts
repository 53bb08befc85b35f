import type { PgSession } from '../connect';
import { ConvergeError } from '../../../core/errors';

/**
 * One load at a time per target schema. Two imports (or migrates) into the same tables would
 * both pass the empty-table check and both COPY: a table without a primary key would end with
 * every row twice. The load takes a session-level advisory lock per schema it writes, on its
 * control connection, before it looks at the target, and holds them until that connection
 * closes; a process killed with -9 loses its session and so its locks, and nothing is left held.
 * (Advisory lock keys are per database, so the schema name is the key within the target.)
 */
const NAMESPACE = 'converge load';

export interface LockHolder {
  pid: number;
  application: string;
  since: string;
  runId?: string;
}

/** Takes the locks or refuses with TARGET_BUSY naming who holds one; with a run history, marks runs that died holding one. */
export async function lockTargetForLoad(
  client: PgSession,
  pipeline: string,
  schemas: string[],
  run?: { runId: string; history: boolean },
): Promise<void> {
  // Always in the same order, so two loads over overlapping schemas cannot wait on each other.
  for (const schema of [...new Set(schemas)].sort()) {
    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [
      NAMESPACE,
      schema,
    ]);
    if (rows[0].ok) continue;
    const holder = await lockHolder(client, schema, !!run?.history);
    const who = holder
      ? `${holder.runId ? `run ${holder.runId}, ` : ''}${holder.application || 'a session'} (pid ${holder.pid}) since ${holder.since}`
      : 'another session';
    throw new ConvergeError(
      'TARGET_BUSY',
      `another load into schema ${schema} of this target is running: ${who}; wait for it to end, or stop it (pg_terminate_backend(${holder?.pid ?? 'pid'})) if it is stuck`,
      { stage: 'import', pipeline, schema, holderPid: holder?.pid, holderRun: holder?.runId },
    );
  }
  if (run?.history) {
    await markAbandonedRuns(client, schemas, run.runId);
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await client.query(
      `INSERT INTO converge.run_events (run_id, kind, stage, payload) VALUES ($1, 'load.locked', 'import', $2)`,
      [run.runId, JSON.stringify({ pid, schemas })],
    );
  }
}

/** The session holding the pipeline's lock, and the run it recorded, if any. */
export async function lockHolder(client: PgSession, schema: string, history: boolean): Promise<LockHolder | undefined> {
  const { rows } = await client.query(
    `SELECT a.pid, coalesce(a.application_name, '') AS application, a.backend_start::text AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = hashtext($1)::oid AND l.objid = hashtext($2)::oid`,
    [NAMESPACE, schema],
  );
  if (!rows.length) return undefined;
  const h: LockHolder = { pid: rows[0].pid, application: rows[0].application, since: rows[0].since };
  if (history) {
    const r = await client.query(
      `SELECT e.run_id FROM converge.run_events e JOIN converge.runs r ON r.id = e.run_id
        WHERE e.kind = 'load.locked' AND r.status = 'running' AND (e.payload->>'pid')::int = $1
        ORDER BY e.id DESC LIMIT 1`,
      [h.pid],
    );
    h.runId = r.rows[0]?.run_id;
  }
  return h;
}

/**
 * A run still "running" that took one of these locks earlier is dead now (the locks are ours): it ended
 * without finishing, e.g. killed with -9. It is marked failed, with a run.abandoned event.
 */
async function markAbandonedRuns(client: PgSession, schemas: string[], current: string): Promise<void> {
  const { rows } = await client.query(
    `UPDATE converge.runs r SET status = 'failed', ended_at = greatest(now(), r.started_at)
      WHERE r.status = 'running' AND r.id <> $2
        AND EXISTS (SELECT 1 FROM converge.run_events e WHERE e.run_id = r.id AND e.kind = 'load.locked'
                       AND e.payload->'schemas' ?| $1::text[])
      RETURNING r.id`,
    [schemas, current],
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

import type { Client, QueryConfig } from 'pg';
import { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { openPg } from './connect';

/**
 * converge's run history on the target (schema converge, created by src/run's migrations):
 * every query the run recorder, `converge runs`, rollback and rehearsals make of it.
 */

export type RunStatus = 'running' | 'completed' | 'failed' | 'rolled_back';

export interface RunRow {
  id: string;
  pipeline: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  source: Record<string, unknown>;
  target: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export interface RunListRow extends RunRow {
  /** The last stage event ("stage.completed export"), which tells a finished stage from a running one. */
  lastStage: string | null;
  tables: number;
  rows: number;
  bytes: number;
  seconds: number | null;
  error: string | null;
}

export interface RunEventRow {
  id: number;
  kind: string;
  stage: string | null;
  table: string | null;
  at: string;
  payload: Record<string, unknown>;
}

const RUN_COLUMNS = `r.id, r.pipeline, r.status::text AS status, r.started_at, r.ended_at, r.source, r.target, r.settings`;

function runRow(r: Record<string, unknown>): RunRow {
  return {
    id: String(r.id),
    pipeline: String(r.pipeline),
    status: r.status as RunStatus,
    startedAt: new Date(r.started_at as string).toISOString(),
    endedAt: r.ended_at ? new Date(r.ended_at as string).toISOString() : null,
    source: r.source as Record<string, unknown>,
    target: r.target as Record<string, unknown>,
    settings: r.settings as Record<string, unknown>,
  };
}

/** Opens the target for reading the history; the caller's body runs with the client, closed after. */
export async function withHistory<T>(target: ConnectionInfo, body: (client: Client) => Promise<T>): Promise<T> {
  const client = await openPg(target, { applicationName: 'converge run history' });
  try {
    return await body(client);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client.end().catch(() => undefined);
  }
}

export async function hasRunHistory(client: Client): Promise<boolean> {
  const { rows } = await client.query("SELECT to_regclass('converge.run_events') IS NOT NULL AS ok");
  return rows[0].ok === true;
}

/** The newest runs first, with what the exported and loaded tables add up to. */
export async function listRuns(
  client: Client,
  opts: { pipeline?: string; limit?: number } = {},
): Promise<RunListRow[]> {
  if (!(await hasRunHistory(client))) return [];
  const { rows } = await client.query(
    `SELECT ${RUN_COLUMNS},
            count(*) FILTER (WHERE e.kind = 'table.loaded')::int AS tables,
            coalesce(sum((e.payload->>'rows')::bigint) FILTER (WHERE e.kind = 'table.loaded'), 0)::bigint AS rows,
            coalesce(sum((e.payload->>'bytes')::bigint) FILTER (WHERE e.kind = 'table.exported'), 0)::bigint AS bytes,
            extract(epoch FROM r.ended_at - r.started_at)::float8 AS seconds,
            (array_agg(e.payload->>'message' ORDER BY e.at DESC) FILTER (WHERE e.kind IN ('run.failed', 'table.failed')))[1] AS error,
            (array_agg(e.kind || ' ' || coalesce(e.stage, '') ORDER BY e.id DESC) FILTER (WHERE e.kind LIKE 'stage.%'))[1] AS last_stage
       FROM converge.runs r LEFT JOIN converge.run_events e ON e.run_id = r.id
      WHERE $1::text IS NULL OR r.pipeline = $1
      GROUP BY r.id ORDER BY r.started_at DESC LIMIT $2`,
    [opts.pipeline ?? null, opts.limit ?? 20],
  );
  return rows.map((r) => ({
    ...runRow(r),
    lastStage: r.last_stage ?? null,
    tables: r.tables,
    rows: Number(r.rows),
    bytes: Number(r.bytes),
    seconds: r.seconds === null ? null : Number(r.seconds),
    error: r.error ?? null,
  }));
}

/** A run by its id or an unambiguous prefix of it (as `runs list` prints them). */
export async function findRun(client: Client, idOrPrefix: string): Promise<RunRow> {
  if (!/^[0-9a-f-]{4,36}$/i.test(idOrPrefix))
    throw new ConvergeError('USAGE', `"${idOrPrefix}" is not a run id (converge runs list shows them)`, {
      stage: 'run',
    });
  if (!(await hasRunHistory(client)))
    throw new ConvergeError(
      'TARGET_SCHEMA',
      'the target has no run history (schema converge); no run was recorded there',
      { stage: 'run' },
    );
  const { rows } = await client.query(
    `SELECT ${RUN_COLUMNS} FROM converge.runs r WHERE r.id::text LIKE $1 ORDER BY r.started_at DESC LIMIT 2`,
    [`${idOrPrefix.toLowerCase()}%`],
  );
  if (rows.length === 0)
    throw new ConvergeError('USAGE', `no run ${idOrPrefix} in the target's run history`, { stage: 'run' });
  if (rows.length > 1)
    throw new ConvergeError('USAGE', `run id prefix ${idOrPrefix} is ambiguous; give more of it`, { stage: 'run' });
  return runRow(rows[0]);
}

export async function readRunEvents(client: Client, runId: string): Promise<RunEventRow[]> {
  const { rows } = await client.query(
    'SELECT id, kind, stage, table_name, at, payload FROM converge.run_events WHERE run_id = $1 ORDER BY at, id',
    [runId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    stage: r.stage,
    table: r.table_name,
    at: new Date(r.at).toISOString(),
    payload: r.payload,
  }));
}

/** Adds one event to an existing run from outside its recorder (rehearsal results, rollback). */
export async function appendRunEvent(
  client: Client,
  runId: string,
  e: { kind: string; stage?: string; table?: string; payload?: Record<string, unknown> },
): Promise<void> {
  await client.query(
    'INSERT INTO converge.run_events (run_id, kind, stage, table_name, payload) VALUES ($1, $2, $3, $4, $5)',
    [runId, e.kind, e.stage ?? null, e.table ?? null, JSON.stringify(e.payload ?? {})],
  );
}

/** The payloads of one event kind across runs of a pipeline, newest first (rehearsal history). */
export async function eventsOfKind(
  client: Client,
  kind: string,
  opts: { pipeline?: string; limit?: number; before?: string } = {},
): Promise<Array<{ runId: string; at: string; payload: Record<string, unknown> }>> {
  if (!(await hasRunHistory(client))) return [];
  const { rows } = await client.query(
    `SELECT e.run_id, e.at, e.payload FROM converge.run_events e JOIN converge.runs r ON r.id = e.run_id
      WHERE e.kind = $1 AND ($2::text IS NULL OR r.pipeline = $2) AND ($3::timestamptz IS NULL OR e.at < $3)
      ORDER BY e.at DESC LIMIT $4`,
    [kind, opts.pipeline ?? null, opts.before ?? null, opts.limit ?? 20],
  );
  return rows.map((r) => ({ runId: String(r.run_id), at: new Date(r.at).toISOString(), payload: r.payload }));
}

/**
 * A run-history write waits at most this long: the history must never hang the run it records
 * (a frozen path to the target); the recorder then keeps events in the run directory.
 */
export const HISTORY_WRITE_MS = 10_000;
/** pg's per-query client-side time-out (its types omit the field). */
const BOUNDED = { query_timeout: HISTORY_WRITE_MS } as object;

type NewRun = { id: string; pipeline: string; source: unknown; target: unknown; settings: unknown };

/** Creates (or restarts) a run's row. */
export async function startRun(client: Client, run: NewRun): Promise<void> {
  await writeRunRow(client, run, "DO UPDATE SET status = 'running', ended_at = NULL");
}

/**
 * Joins an existing run without changing its status (a verify of a completed load): the row is
 * created only when the run is not recorded yet.
 */
export async function attachRun(client: Client, run: NewRun): Promise<void> {
  await writeRunRow(client, run, 'DO NOTHING');
}

async function writeRunRow(client: Client, run: NewRun, onConflict: string): Promise<void> {
  await client.query({
    text: `INSERT INTO converge.runs (id, pipeline, source, target, settings) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) ${onConflict}`,
    values: [
      run.id,
      run.pipeline,
      JSON.stringify(run.source),
      JSON.stringify(run.target),
      JSON.stringify(run.settings),
    ],
    ...BOUNDED,
  } as QueryConfig);
}

/** Records one event of a running run at the time it happened. */
export async function recordRunEvent(
  client: Client,
  runId: string,
  e: { kind: string; stage?: string; table?: string; payload?: Record<string, unknown> },
  at: string,
): Promise<void> {
  await client.query({
    text: 'INSERT INTO converge.run_events (run_id, kind, stage, table_name, at, payload) VALUES ($1, $2, $3, $4, $5, $6)',
    values: [runId, e.kind, e.stage ?? null, e.table ?? null, at, JSON.stringify(e.payload ?? {})],
    ...BOUNDED,
  } as QueryConfig);
}

/** Ends a run: its status, and now as its end unless it is only being marked rolled back. */
export async function endRun(client: Client, runId: string, status: RunStatus): Promise<void> {
  await client.query({
    text: 'UPDATE converge.runs SET status = $2, ended_at = now() WHERE id = $1',
    values: [runId, status],
    ...BOUNDED,
  } as QueryConfig);
}

/** Marks a run rolled back (its end time stays the load's). */
export async function markRolledBack(client: Client, runId: string): Promise<void> {
  await client.query("UPDATE converge.runs SET status = 'rolled_back' WHERE id = $1", [runId]);
}

/** One run's events as a run directory kept them while the target was away (events.jsonl). */
export interface ReplayedRun {
  runId: string;
  run: { pipeline?: string; source?: unknown; target?: unknown; settings?: unknown };
  startedAt: string;
  /** Each event's replay key makes a second replay of the same line record nothing. */
  events: Array<{
    kind: string;
    stage?: string;
    table?: string;
    at: string;
    payload?: Record<string, unknown>;
    key: string;
  }>;
  /** The run's last terminal event, which sets its status and end. */
  end?: { status: 'completed' | 'failed'; at: string };
}

/**
 * Writes replayed runs in one transaction (rolled back on any failure, which is rethrown):
 * each run's row is created when missing, events already replayed are skipped. Returns how
 * many events were inserted.
 */
export async function replayRuns(client: Client, runs: ReplayedRun[]): Promise<number> {
  let inserted = 0;
  await client.query('BEGIN');
  try {
    for (const r of runs) {
      await client.query(
        `INSERT INTO converge.runs (id, pipeline, started_at, source, target, settings) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET started_at = LEAST(converge.runs.started_at, EXCLUDED.started_at)`,
        [
          r.runId,
          r.run.pipeline ?? 'unknown',
          r.startedAt,
          JSON.stringify(r.run.source ?? {}),
          JSON.stringify(r.run.target ?? {}),
          JSON.stringify(r.run.settings ?? {}),
        ],
      );
      for (const e of r.events) {
        const res = await client.query(
          'INSERT INTO converge.run_events (run_id, kind, stage, table_name, at, payload, replay_key) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_id, replay_key) WHERE replay_key IS NOT NULL DO NOTHING',
          [r.runId, e.kind, e.stage ?? null, e.table ?? null, e.at, JSON.stringify(e.payload ?? {}), e.key],
        );
        inserted += res.rowCount ?? 0;
      }
      if (r.end)
        await client.query(
          'UPDATE converge.runs SET status = $2, ended_at = GREATEST($3::timestamptz, started_at) WHERE id = $1',
          [r.runId, r.end.status, r.end.at],
        );
    }
    await client.query('COMMIT');
    return inserted;
  } catch (e) {
    // The failure is rethrown below; a ROLLBACK on a broken connection must not replace it.
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * Writes a run and an event and reads the event back, inside a transaction it always rolls back
 * (the history keeps only real runs). True when the event read back is the one written. With
 * `createWith` (the run history's migrations), the converge schema is created first inside the
 * same transaction, so the rollback leaves a target without one as it was.
 */
export async function probeRunHistory(
  client: Client,
  runId: string,
  probe: string,
  createWith?: string[],
): Promise<boolean> {
  try {
    await client.query('BEGIN');
    if (createWith) {
      await client.query('CREATE SCHEMA converge');
      for (const sql of createWith) await client.query(sql);
    }
    await client.query("INSERT INTO converge.runs (id, pipeline, status) VALUES ($1, 'doctor', 'completed')", [runId]);
    await client.query("INSERT INTO converge.run_events (run_id, kind, payload) VALUES ($1, 'doctor.probe', $2)", [
      runId,
      JSON.stringify({ probe }),
    ]);
    const { rows } = await client.query(
      "SELECT payload->>'probe' AS probe FROM converge.run_events WHERE run_id = $1 AND kind = 'doctor.probe'",
      [runId],
    );
    return rows.length === 1 && rows[0].probe === probe;
  } finally {
    // The probe wrote nothing to keep: the ROLLBACK only undoes it; a failure above is what counts.
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

import type { Client } from 'pg';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { openPg } from '../target/postgres/connect';
import type { RunStatus } from './run-recorder';

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
            (array_agg(e.payload->>'message' ORDER BY e.at DESC) FILTER (WHERE e.kind IN ('run.failed', 'table.failed')))[1] AS error
       FROM converge.runs r LEFT JOIN converge.run_events e ON e.run_id = r.id
      WHERE $1::text IS NULL OR r.pipeline = $1
      GROUP BY r.id ORDER BY r.started_at DESC LIMIT $2`,
    [opts.pipeline ?? null, opts.limit ?? 20],
  );
  return rows.map((r) => ({
    ...runRow(r),
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

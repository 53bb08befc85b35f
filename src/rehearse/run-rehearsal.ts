import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { runCutoverMigrate } from '../cutover/cutover-migrate';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { loadSeeder } from '../pipeline/seeder';
import { appendRunEvent, eventsOfKind, findRun, readRunEvents, withHistory } from '../target/postgres/run-history';
import { summarizeRun } from '../run/run-summary';
import { applyMigrations } from '../schema/apply-migrations';
import { applyTargetSchema } from '../pipeline/apply-target-schema';
import { openMysql } from '../source/mysql/connect';
import { compareRehearsals, RehearsalComparison } from './compare-rehearsals';
import { predictDowntime, stageThroughput } from './predict-downtime';
import { Phase, PHASE_COMMANDS, RehearsalResult, RehearsalTable } from './rehearsal-result';
import { measureMysqlDatabase, recreateMysqlDatabase } from '../source/mysql/scratch-databases';
import { RUN_SCHEMA } from '../run/run-recorder';
import { resetScratchPg } from '../target/postgres/scratch-databases';

export const REHEARSAL_EVENT = 'rehearsal.completed';

export interface RehearseOptions {
  pipeline: Pipeline;
  /** Server URLs; the rehearsal uses its own scratch database on each. */
  sourceServer: ConnectionInfo;
  targetServer: ConnectionInfo;
  /** Scratch database name on both servers (default converge_rehearsal_<pipeline>). */
  database?: string;
  scale?: number;
  /** Keep a seeded source from an earlier rehearsal (seeding is not part of a cut-over). */
  reuseSource?: boolean;
  workDir: string;
  /** `converge migrate --jobs`: use the cut-over command's value. */
  jobs?: number;
  /** `converge migrate --keep-files`: use the cut-over command's value. */
  keepFiles?: boolean;
  productionBytes?: number;
  log: Logger;
}

export interface PipelineRehearsal {
  result: RehearsalResult;
  previous?: RehearsalResult;
  comparison?: RehearsalComparison;
  /** Earlier rehearsals of the pipeline on this target, oldest first, this one last. */
  history: RehearsalResult[];
}

/**
 * One rehearsal of one pipeline on scratch databases, timing the cut-over runbook's commands:
 * reset the target (keeping the run history), create and seed the source (scratch set-up), then
 * `converge schema apply` (applyTargetSchema) and `converge migrate` with verification
 * (runCutoverMigrate, the migrate command's own call of runMigrate, with its --jobs and
 * --keep-files), timing its load and verify phases and every table it moved. The result is
 * recorded in the run history and compared with the previous rehearsal of the same command.
 */
export async function rehearsePipeline(o: RehearseOptions): Promise<PipelineRehearsal> {
  const p = o.pipeline;
  const seeder = loadSeeder(p);
  if (!seeder || !p.source.migrations || !p.source.tracking)
    throw new ConvergeError('USAGE', `pipeline ${p.name} has no seeder or source migrations; a rehearsal needs both`, {
      key: 'seed',
    });
  const db = o.database ?? `converge_rehearsal_${p.name}`;
  const source = withDatabase(o.sourceServer, db);
  const target = withDatabase(o.targetServer, db);
  const scale = o.scale ?? p.demoScale;
  const jobs = o.jobs ?? 2;
  const phases: RehearsalResult['phases'] = [];
  const record = (phase: Phase, seconds: number) => {
    const command = PHASE_COMMANDS[phase];
    phases.push({ phase, seconds, ...(command ? { command } : {}) });
    o.log.info({ pipeline: p.name, phase, command, seconds }, 'rehearsal phase done');
  };
  const timed = async <T>(phase: Phase, body: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await body();
    record(phase, (Date.now() - t0) / 1000);
    return out;
  };
  const existing = o.reuseSource ? await measureMysqlDatabase(source, p.source.exclude) : undefined;
  const reuse = !!existing?.rows;
  await timed('reset', async () => {
    await resetScratchPg(o.targetServer, db, RUN_SCHEMA);
    if (!reuse) await recreateMysqlDatabase(o.sourceServer, db);
    for (const sub of ['migrate', 'transform'])
      await fsp.rm(path.join(o.workDir, sub), { recursive: true, force: true });
  });
  if (!reuse) {
    await timed('source-schema', () =>
      applyMigrations({
        dialect: 'mysql',
        connection: source,
        dir: pipelinePath(p, p.source.migrations!),
        tracking: p.source.tracking!,
      }),
    );
    await timed('seed', async () => {
      const conn = await openMysql(source);
      try {
        return await seeder(conn, { scale });
      } finally {
        // Closing after use or after a failure: a close error would only hide the real outcome.
        await conn.end().catch(() => undefined);
      }
    });
  }
  const measured = (reuse ? existing : await measureMysqlDatabase(source, p.source.exclude)) ?? { rows: 0, bytes: 0 };
  // The cut-over, as the runbook runs it: `converge schema apply`, then `converge migrate`.
  await timed('schema-apply', () => applyTargetSchema(p, target));
  const run = await runCutoverMigrate({
    pipeline: p,
    source,
    target,
    workDir: o.workDir,
    log: o.log,
    jobs,
    keepFiles: !!o.keepFiles,
    verify: true,
  });
  record('load', run.seconds.load);
  record('verify', run.seconds.verify);
  const rows = run.tables.reduce((n, t) => n + t.rows, 0);
  const throughput = stageThroughput(run.seconds, measured.bytes, rows);
  const verdicts = run.verify?.tables ?? [];
  return withHistory(target, async (client) => {
    const summary = summarizeRun(await findRun(client, run.runId), await readRunEvents(client, run.runId));
    const schema = p.target.schema;
    const key = (t: string) => (t.includes('.') ? t : `${schema}.${t}`);
    const tables: RehearsalTable[] = run.tables.map((t) => ({
      table: t.table,
      sourceTable: t.sourceTable,
      rowsIn: t.rowsIn,
      rows: t.rows,
      seconds: t.seconds,
      ...(t.path ? { path: t.path } : {}),
      ...(t.fkChecks ? { fkChecks: t.fkChecks } : {}),
      verify: summary.tables.find((l) => l.stage === 'verify' && key(l.table) === key(t.table))?.seconds ?? 0,
      verified: !!verdicts.find((v) => key(v.table) === key(t.table))?.ok,
    }));
    const result: RehearsalResult = {
      pipeline: p.name,
      runId: run.runId,
      at: new Date().toISOString(),
      scale,
      sourceRows: measured.rows,
      sourceReused: reuse,
      cutover: { command: 'migrate', jobs, keepFiles: !!o.keepFiles, verify: true },
      phases,
      tables,
      bytes: measured.bytes,
      rows,
      throughput,
      ...(o.productionBytes ? { prediction: predictDowntime(throughput, measured.bytes, o.productionBytes) } : {}),
      verified: verdicts.length > 0 && verdicts.every((v) => v.ok),
    };
    // Rehearsals that timed another path (the staged commands, before migrate was the cut-over) do not compare.
    const earlier = (await eventsOfKind(client, REHEARSAL_EVENT, { pipeline: p.name, limit: 19 }))
      .map((e) => e.payload as unknown as RehearsalResult)
      .filter((r) => r.cutover?.command === 'migrate')
      .reverse();
    await appendRunEvent(client, run.runId, {
      kind: REHEARSAL_EVENT,
      payload: result as unknown as Record<string, unknown>,
    });
    const previous = earlier[earlier.length - 1];
    return {
      result,
      previous,
      comparison: previous ? compareRehearsals(previous, result) : undefined,
      history: [...earlier, result],
    };
  });
}

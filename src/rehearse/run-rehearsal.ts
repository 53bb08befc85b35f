import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { runPipeline } from '../pipeline/run-pipeline';
import { loadSeeder } from '../pipeline/seeder';
import { appendRunEvent, eventsOfKind, findRun, readRunEvents, withHistory } from '../target/postgres/run-history';
import { summarizeRun } from '../run/run-summary';
import { applyMigrations } from '../schema/apply-migrations';
import { openMysql } from '../source/mysql/connect';
import { compareRehearsals, RehearsalComparison } from './compare-rehearsals';
import { predictDowntime, stageThroughput } from './predict-downtime';
import type { Phase, RehearsalResult, RehearsalTable } from './rehearsal-result';
import { recreateMysqlDatabase } from './recreate-databases';
import { countSourceRows, resetScratchTarget } from './reset-scratch';

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
  jobs?: number;
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
 * One rehearsal of one pipeline on scratch databases: reset the target (keeping the run
 * history), apply the schemas, seed the source, export → transform → import → verify, timing
 * every phase and table; then record the result in the run history and compare it with the
 * previous rehearsal recorded there.
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
  const phases: RehearsalResult['phases'] = [];
  const timed = async <T>(phase: Phase, body: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await body();
    phases.push({ phase, seconds: (Date.now() - t0) / 1000 });
    o.log.info({ pipeline: p.name, phase, seconds: phases[phases.length - 1].seconds }, 'rehearsal phase done');
    return out;
  };
  const existingRows = o.reuseSource ? await countSourceRows(source, p.source.exclude) : undefined;
  const reuse = !!existingRows;
  await timed('reset', async () => {
    await resetScratchTarget(o.targetServer, db);
    if (!reuse) await recreateMysqlDatabase(o.sourceServer, db);
    for (const sub of ['export', 'transform'])
      await fsp.rm(path.join(o.workDir, sub), { recursive: true, force: true });
  });
  await timed('schema', async () => {
    if (!reuse)
      await applyMigrations({
        dialect: 'mysql',
        connection: source,
        dir: pipelinePath(p, p.source.migrations!),
        tracking: p.source.tracking!,
      });
    await applyMigrations({
      dialect: 'postgres',
      connection: target,
      dir: pipelinePath(p, p.target.migrations),
      tracking: p.target.tracking,
    });
  });
  if (!reuse) {
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
  const sourceRows = existingRows ?? (await countSourceRows(source, p.source.exclude)) ?? 0;
  const run = await runPipeline({ pipeline: p, source, target, workDir: o.workDir, log: o.log, jobs: o.jobs });
  for (const stage of ['export', 'transform', 'import', 'verify'] as const)
    phases.push({ phase: stage, seconds: run.stageSeconds[stage] });
  const throughput = stageThroughput(run.stageSeconds, run.bytes, run.rows);
  return withHistory(target, async (client) => {
    const summary = summarizeRun(await findRun(client, run.runId), await readRunEvents(client, run.runId));
    const schema = p.target.schema;
    const key = (t: string) => (t.includes('.') ? t : `${schema}.${t}`);
    const line = (stage: string, table: string) =>
      summary.tables.find((t) => t.stage === stage && key(t.table) === key(table));
    const exportedBytes = (sourceTable: string) =>
      summary.tables.find((t) => t.stage === 'export' && t.table === sourceTable)?.bytes ?? 0;
    const tables: RehearsalTable[] = run.tables.map((t) => ({
      table: t.table,
      rows: t.rows,
      bytes: line('import', t.table)?.bytes ?? exportedBytes(line('transform', t.table)?.sourceTable ?? t.table),
      export: t.exportSeconds,
      transform: t.transformSeconds,
      import: t.importSeconds,
      verify: line('verify', t.table)?.seconds ?? 0,
      verified: t.verified,
    }));
    const result: RehearsalResult = {
      pipeline: p.name,
      runId: run.runId,
      at: new Date().toISOString(),
      scale,
      sourceRows,
      sourceReused: reuse,
      phases,
      tables,
      bytes: run.bytes,
      rows: run.rows,
      throughput,
      ...(o.productionBytes ? { prediction: predictDowntime(throughput, run.bytes, o.productionBytes) } : {}),
      verified: run.tables.every((t) => t.verified),
    };
    const earlier = (await eventsOfKind(client, REHEARSAL_EVENT, { pipeline: p.name, limit: 19 }))
      .map((e) => e.payload as unknown as RehearsalResult)
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

import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { runCutoverMigrate } from '../cutover/cutover-migrate';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { loadSeeder, Seeder } from '../pipeline/seeder';
import { appendRunEvent, eventsOfKind, findRun, readRunEvents, withHistory } from '../target/postgres/run-history';
import { summarizeRun } from '../run/run-summary';
import { applyMigrations } from '../schema/apply-migrations';
import { applyTargetSchema } from '../pipeline/apply-target-schema';
import { openMysql } from '../source/mysql/connect';
import { compareRehearsals, RehearsalComparison } from './compare-rehearsals';
import { forecastDowntime } from './downtime-model';
import {
  Phase,
  PHASE_COMMANDS,
  PhaseCommand,
  RehearsalResult,
  RehearsalSample,
  RehearsalTable,
} from './rehearsal-result';
import { measureDataBytes, mysqlCacheBytes, someMysqlTables } from '../source/mysql/scratch-databases';
import { RUN_SCHEMA } from '../run/run-recorder';
import { inspectTargetBeforeReset, pgCacheBytes } from '../target/postgres/scratch-databases';
import { refuseReset } from './reset-guard';
import { refuseUnfollowableSource, runOnlineRehearsal } from './online-rehearsal';
import { phaseClock } from './phase-clock';
import { resetScratch } from './scratch-reset';

export const REHEARSAL_EVENT = 'rehearsal.completed';
/** Recorded in the run of every smaller sample and of the online run, so the reset guard knows the run was a rehearsal's. */
export const SAMPLE_EVENT = 'rehearsal.sample';
/** The first sample of a seeded rehearsal, as a share of the asked scale. */
export const DEFAULT_FRACTION = 0.25;

export interface RehearseOptions {
  pipeline: Pipeline;
  /** The operator's copy of the production data (read only), or with `seed` the scratch source to seed. URL with the database. */
  source: ConnectionInfo;
  /** The scratch target, reset before every run. URL with the database. */
  target: ConnectionInfo;
  /** --reset-target: must repeat the target's database name. */
  resetTarget?: string;
  /** The cut-over's target as host:port/database (CONVERGE_TARGET_URL), refused as a rehearsal target. */
  cutoverTarget?: string;
  /** Seed a scratch source with the pipeline's seeder instead of reading a copy; two sizes are measured. */
  seed?: { scale: number; resetSource?: string; fraction?: number };
  workDir: string;
  /** `converge migrate --jobs`: use the cut-over command's value. */
  jobs?: number;
  /** `converge migrate --keep-files`: use the cut-over command's value. */
  keepFiles?: boolean;
  /**
   * --online: after the offline samples, one run of the online cut-over (migrate --follow, follow
   * checkpoint, cutover) on the same data, whose write downtime is the switch's.
   */
  online?: boolean;
  /** Predict the write downtime for this much production data (rows, or MySQL data bytes). */
  production?: { rows?: number; bytes?: number };
  log: Logger;
}

export interface PipelineRehearsal {
  result: RehearsalResult;
  previous?: RehearsalResult;
  comparison?: RehearsalComparison;
  /** Earlier rehearsals of the pipeline on this target, oldest first, this one last. */
  history: RehearsalResult[];
}

/** host:port/database, for comparing targets without credentials. */
export const targetAddress = (t: ConnectionInfo) => `${t.host}:${t.port}/${t.database ?? ''}`;

/**
 * One rehearsal of one pipeline: the cut-over composition, timed, against the operator's own
 * copy of the data (or, with `seed`, a scratch source seeded at two sizes). Before every run the
 * scratch target is reset (its schemas dropped and the pipeline's migrations applied again, or,
 * when the application owns the schema, the mapped tables emptied), then the runbook's commands
 * run through the same calls as the CLI: `converge schema apply` (when the pipeline has
 * migrations) and `converge migrate` with its verification (runCutoverMigrate). Each run's
 * phases and tables are timed; the downtime model predicts the production write downtime from
 * every sample and earlier rehearsals; the result is recorded and compared with the previous one.
 * With `online`, one more run takes the online path (runOnlineRehearsal: migrate --follow, follow
 * checkpoint, cutover) on the full-size data: its write downtime is measured beside the offline
 * prediction.
 */
export async function rehearsePipeline(o: RehearseOptions): Promise<PipelineRehearsal> {
  const p = o.pipeline;
  const sourceDb = requireDatabase(o.source, '--source', 'mysql://user@host:3306/staging_copy');
  const targetDb = requireDatabase(o.target, '--target', 'postgres://user@host:5432/scratch');
  const seeder = o.seed ? seederFor(p, o.seed, sourceDb) : undefined;
  if (!o.seed && (await someMysqlTables(o.source, 1)).length === 0)
    throw new ConvergeError(
      'USAGE',
      `the source database ${sourceDb} holds no tables: rehearse against a copy of the production data${p.seed ? `, or pass --seed to seed it with ${p.name}'s seeder` : ''}`,
      { key: '--source' },
    );
  const refusal = refuseReset(await inspectTargetBeforeReset(o.target, RUN_SCHEMA), {
    database: targetDb,
    confirmed: o.resetTarget,
    cutoverTarget: o.cutoverTarget,
    target: targetAddress(o.target),
  });
  if (refusal) throw refusal;
  // A source that cannot be followed is refused before the first reset, not after the offline runs.
  if (o.online) await refuseUnfollowableSource(o.source);

  const jobs = o.jobs ?? 2;
  const cutover = { command: 'migrate' as const, jobs, keepFiles: !!o.keepFiles, verify: true as const };
  const plan: { warmUp?: number; scales: Array<number | undefined> } = o.seed
    ? sampleScales(o.seed.scale, o.seed.fraction ?? DEFAULT_FRACTION)
    : { scales: [undefined] };
  const runs: Array<{ scale?: number; warmUp: boolean }> = [
    ...(plan.warmUp !== undefined ? [{ scale: plan.warmUp, warmUp: true }] : []),
    ...plan.scales.map((scale) => ({ scale, warmUp: false })),
  ];
  const samples: RehearsalSample[] = [];
  let warmUp: RehearsalSample | undefined;
  let last: Omit<SampleRun, 'sample'> | undefined;
  for (const [i, r] of runs.entries()) {
    const run = await runSample(o, { scale: r.scale, seeder, jobs });
    if (r.warmUp) warmUp = run.sample;
    else samples.push(run.sample);
    last = run;
    // The full size is marked too when the online run follows: a failure there leaves it marked.
    if (i < runs.length - 1 || o.online)
      await withHistory(o.target, (client) =>
        appendRunEvent(client, run.sample.runId, {
          kind: SAMPLE_EVENT,
          payload: {
            pipeline: p.name,
            rows: run.sample.rows,
            bytes: run.sample.bytes,
            scale: r.scale ?? null,
            warmUp: r.warmUp,
          },
        }),
      );
  }
  const full = samples[samples.length - 1];
  // On the full-size source as the last sample left it (seeded: at the asked scale).
  const online = o.online
    ? await runOnlineRehearsal({
        pipeline: p,
        source: o.source,
        target: o.target,
        workDir: o.workDir,
        jobs,
        keepFiles: !!o.keepFiles,
        log: o.log,
        marker: { kind: SAMPLE_EVENT, payload: { pipeline: p.name, online: true } },
      })
    : undefined;
  const caches = o.production
    ? { source: await mysqlCacheBytes(o.source), target: await pgCacheBytes(o.target) }
    : undefined;
  return withHistory(o.target, async (client) => {
    // Rehearsals that timed another composition (other flags, or the staged commands) do not compare.
    const earlier = (await eventsOfKind(client, REHEARSAL_EVENT, { pipeline: p.name, limit: 19 }))
      .map((e) => e.payload as unknown as RehearsalResult)
      .filter((r) => r.cutover?.command === 'migrate' && Array.isArray(r.samples))
      .reverse();
    const comparable = earlier.filter((r) => r.cutover.jobs === jobs && r.cutover.keepFiles === !!o.keepFiles);
    const result: RehearsalResult = {
      pipeline: p.name,
      runId: full.runId,
      at: new Date().toISOString(),
      source: { database: sourceDb, ...(o.seed ? { seeded: { scale: o.seed.scale } } : {}) },
      target: { database: targetDb },
      cutover,
      phases: last!.phases,
      tables: last!.tables,
      bytes: full.bytes,
      rows: full.rows,
      samples,
      ...(warmUp ? { warmUp } : {}),
      writeDowntimeSeconds: full.seconds.load + full.seconds.verify,
      ...(o.production
        ? {
            forecast: forecastDowntime(
              samples,
              o.production,
              comparable.flatMap((r) => r.samples),
              warmUp,
              caches,
            ),
          }
        : {}),
      ...(online ? { online } : {}),
      verified: last!.verified && (!online || online.verified),
    };
    await appendRunEvent(client, full.runId, {
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

/**
 * The seeded runs: a fraction of the scale first (a second size for the model), then the asked
 * scale; before two sizes, a warm-up run at scale 1, so that both are measured warm and the
 * first run's extra cost is measured on its own. A fraction of 1 measures the scale alone, cold,
 * as the cut-over runs.
 */
export function sampleScales(scale: number, fraction: number): { warmUp?: number; scales: number[] } {
  const small = Math.max(1, Math.round(scale * fraction));
  if (small >= scale) return { scales: [scale] };
  return { ...(small > 1 ? { warmUp: 1 } : {}), scales: [small, scale] };
}

interface SampleRun {
  sample: RehearsalSample;
  phases: RehearsalResult['phases'];
  tables: RehearsalTable[];
  verified: boolean;
}

/** One run of the composition on a freshly reset target (and, seeded, a freshly seeded source). */
async function runSample(o: RehearseOptions, s: { scale?: number; seeder?: Seeder; jobs: number }): Promise<SampleRun> {
  const p = o.pipeline;
  const { phases, record, timed } = phaseClock<Phase, PhaseCommand>(PHASE_COMMANDS, o.log, {
    pipeline: p.name,
    scale: s.scale,
  });
  await timed('reset', () => resetScratch(o, !!s.seeder));
  if (s.seeder) {
    await timed('source-schema', () =>
      applyMigrations({
        dialect: 'mysql',
        connection: o.source,
        dir: pipelinePath(p, p.source.migrations!),
        tracking: p.source.tracking!,
      }),
    );
    await timed('seed', async () => {
      const conn = await openMysql(o.source);
      try {
        return await s.seeder!(conn, { scale: s.scale! });
      } finally {
        // Closing after use or after a failure: a close error would only hide the real outcome.
        await conn.end().catch(() => undefined);
      }
    });
  }
  // The cut-over, as the runbook runs it: `converge schema apply` (when the pipeline owns the
  // schema), then `converge migrate`, verification included.
  if (p.target.migrations) await timed('schema-apply', () => applyTargetSchema(p, o.target));
  const run = await runCutoverMigrate({
    pipeline: p,
    source: o.source,
    target: o.target,
    workDir: o.workDir,
    log: o.log,
    jobs: s.jobs,
    keepFiles: !!o.keepFiles,
    verify: true,
  });
  record('load', run.seconds.load);
  record('verify', run.seconds.verify);
  const bytes = await measureDataBytes(o.source, p.source.exclude, !!s.seeder);
  const verdicts = run.verify?.tables ?? [];
  const schema = p.target.schema;
  const key = (t: string) => (t.includes('.') ? t : `${schema}.${t}`);
  const summary = await withHistory(o.target, async (client) =>
    summarizeRun(await findRun(client, run.runId), await readRunEvents(client, run.runId)),
  );
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
  return {
    sample: {
      runId: run.runId,
      ...(s.scale !== undefined ? { scale: s.scale } : {}),
      rows: tables.reduce((n, t) => n + t.rowsIn, 0),
      bytes,
      seconds: { load: run.seconds.load, verify: run.seconds.verify },
      tables: tables.map((t) => ({ rows: t.rowsIn, seconds: { load: t.seconds, verify: t.verify } })),
    },
    phases,
    tables,
    verified: verdicts.length > 0 && verdicts.every((v) => v.ok),
  };
}

function requireDatabase(info: ConnectionInfo, flag: string, example: string): string {
  if (!info.database)
    throw new ConvergeError('USAGE', `${flag} names no database: write it in the URL, e.g. ${example}`, { key: flag });
  return info.database;
}

/** The pipeline's seeder, when seeding is asked for and allowed; a clear refusal otherwise. */
function seederFor(p: Pipeline, seed: NonNullable<RehearseOptions['seed']>, sourceDb: string): Seeder {
  const seeder = loadSeeder(p);
  if (!seeder)
    throw new ConvergeError(
      'USAGE',
      `pipeline ${p.name} has no seeder (no seed: in ${p.file}): rehearse it without --seed, against a copy of its production data`,
      { key: '--seed', file: p.file },
    );
  if (!p.source.migrations || !p.source.tracking)
    throw new ConvergeError(
      'USAGE',
      `pipeline ${p.name} has no source.migrations to build a scratch source for its seeder; rehearse it without --seed`,
      { key: '--seed', file: p.file },
    );
  if (seed.resetSource !== sourceDb)
    throw new ConvergeError(
      'USAGE',
      seed.resetSource === undefined
        ? `--seed drops and re-creates the source database ${sourceDb} before seeding it; pass --reset-source ${sourceDb} to confirm it is a scratch database`
        : `--reset-source ${seed.resetSource} does not name the source's database ${sourceDb}; nothing was reset`,
      { key: '--reset-source' },
    );
  if (!Number.isInteger(seed.scale) || seed.scale < 1)
    throw new ConvergeError('USAGE', `--seed takes a whole scale >= 1, not ${seed.scale}`, { key: '--seed' });
  return seeder;
}

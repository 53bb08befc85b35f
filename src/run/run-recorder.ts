import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { ConvergeError, isConvergeError, messageOf } from '../core/errors';
import { applyMigrations } from '../schema/apply-migrations';
import { openPg, PgSession } from '../target/postgres/connect';
import { attachRun, endRun, recordRunEvent, RunStatus, startRun } from '../target/postgres/run-history';
import { EVENTS_FILE, replayEventsFile } from './replay-events';

export type { RunStatus };

export interface RunEvent {
  kind: string;
  stage?: string;
  table?: string;
  payload?: Record<string, unknown>;
  at?: string;
}

export const RUN_SCHEMA = 'converge';
/** Its SQL lives with the Postgres engine, beside the other run-history statements. */
export const RUN_MIGRATIONS_DIR = path.join(__dirname, '..', 'target', 'postgres', 'run-history-migrations');

/** Creates or upgrades converge's own schema on the target (its only owner). */
export async function ensureRunSchema(target: ConnectionInfo): Promise<void> {
  await applyMigrations({
    dialect: 'postgres',
    connection: target,
    dir: RUN_MIGRATIONS_DIR,
    tracking: { schema: RUN_SCHEMA, table: 'schema_versions', style: 'converge' },
  });
}

/**
 * Writes run events to converge.run_events on the target. When the target cannot be reached,
 * events go to events.jsonl in the run directory instead, to be replayed later; a run is never
 * failed because its history could not be written.
 */
export class RunRecorder {
  private client?: PgSession;
  private fallbackFile = '';
  /** Written on the first JSONL line so a replay can create the run's row. */
  private runInfo: Record<string, unknown> = {};
  private wroteFallback = false;
  /** The target's connect failure, when the history could not reach it. */
  unreachable?: ConvergeError;

  private constructor(
    readonly runId: string,
    private readonly log: Logger,
  ) {}

  static async open(opts: {
    target: ConnectionInfo;
    runId: string;
    pipeline: string;
    runDir: string;
    source?: ConnectionInfo;
    settings?: Record<string, unknown>;
    log: Logger;
    create?: boolean;
    /** Join the run without setting it running again (verify proves a load that has ended). */
    attach?: boolean;
  }): Promise<RunRecorder> {
    const r = new RunRecorder(opts.runId, opts.log);
    r.fallbackFile = path.join(opts.runDir, EVENTS_FILE);
    r.runInfo = {
      pipeline: opts.pipeline,
      source: opts.source ? { descriptor: describeConnection(opts.source) } : {},
      target: { descriptor: describeConnection(opts.target) },
      settings: opts.settings ?? {},
    };
    try {
      await ensureRunSchema(opts.target);
      r.client = await openPg(opts.target, { applicationName: 'converge run history' });
      await (opts.attach ? attachRun : startRun)(r.client, {
        id: opts.runId,
        pipeline: opts.pipeline,
        source: opts.source ? { descriptor: describeConnection(opts.source) } : {},
        target: { descriptor: describeConnection(opts.target) },
        settings: opts.settings ?? {},
      });
    } catch (e) {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await r.client?.end().catch(() => undefined);
      r.client = undefined;
      // A target that did not answer will not answer the command either: it need not wait twice.
      if (isConvergeError(e) && e.code === 'CONNECT_FAILED') r.unreachable = e;
      opts.log.warn(
        { err: messageOf(e), file: r.fallbackFile },
        'run history unavailable on the target; writing events to the run directory',
      );
    }
    if (r.client) {
      // Events kept locally by an earlier run while the target was away go in now.
      await replayEventsFile(r.client, r.fallbackFile).catch((e) =>
        opts.log.warn({ err: messageOf(e), file: r.fallbackFile }, 'could not replay the run directory events yet'),
      );
    }
    return r;
  }

  async event(e: RunEvent): Promise<void> {
    const at = e.at ?? new Date().toISOString();
    if (this.client) {
      try {
        await recordRunEvent(this.client, this.runId, e, at);
        return;
      } catch (err) {
        // A target that stopped answering would make every later event wait again: from here on
        // the run directory keeps them.
        this.log.warn({ err: messageOf(err) }, 'could not record run event; keeping it in the run directory');
        const lost = this.client;
        this.client = undefined;
        await lost.end().catch(() => undefined);
      }
    }
    const line: Record<string, unknown> = { runId: this.runId, ...e, at };
    if (!this.wroteFallback) line.run = this.runInfo;
    this.wroteFallback = true;
    await fsp.appendFile(this.fallbackFile, JSON.stringify(line) + '\n', { mode: 0o600 });
  }

  async finish(status: RunStatus, payload: Record<string, unknown> = {}): Promise<void> {
    await this.event({ kind: status === 'completed' ? 'run.completed' : 'run.failed', payload });
    if (this.client) {
      await endRun(this.client, this.runId, status)
        // The run history must not fail the migration it records, but it says so: the run's
        // final event is recorded above (or kept in the run directory).
        .catch((err) => this.log.warn({ err: messageOf(err) }, `could not mark the run ${status} in converge.runs`));
    }
  }

  async close(): Promise<void> {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}

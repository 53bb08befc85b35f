import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { isConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { readPartialManifest } from '../manifest';
import { RunRecorder } from '../run/run-recorder';

/**
 * Runs one stage with its run record: opens the recorder under the run id of the manifest the
 * stage continues (or a new one), records run.failed with the error's code and context when the
 * stage throws, and always closes the recorder.
 */
export async function withRun<T>(
  opts: {
    target: ConnectionInfo;
    source?: ConnectionInfo;
    pipeline: string;
    runDir: string;
    manifestDir?: string;
    log: Logger;
    settings?: Record<string, unknown>;
    finish?: boolean;
    /**
     * The stage this command runs, when it does not finish the run (export, transform): its end
     * is recorded, so `runs list` shows "export finished" rather than a run still "running".
     */
    stage?: string;
    /** The stage reads or writes the target itself: a target the history could not reach fails it at once. */
    needsTarget?: boolean;
    /** Join the manifest's run without setting it running again, and leave its status alone (verify). */
    attach?: boolean;
  },
  body: (rec: RunRecorder, runId: string) => Promise<T>,
): Promise<T> {
  await ensurePrivateDir(opts.runDir);
  const prev = opts.manifestDir ? await readPartialManifest(opts.manifestDir) : undefined;
  const runId = prev?.runId ?? randomUUID();
  const rec = await RunRecorder.open({
    target: opts.target,
    source: opts.source,
    runId,
    pipeline: opts.pipeline,
    runDir: opts.runDir,
    log: opts.log,
    settings: opts.settings,
    attach: opts.attach && !!prev,
  });
  try {
    if (opts.needsTarget && rec.unreachable) throw rec.unreachable;
    if (!prev) await rec.event({ kind: 'run.created', payload: { pipeline: opts.pipeline } });
    const out = await body(rec, runId);
    if (opts.finish) await rec.finish('completed');
    else if (opts.stage) await rec.event({ kind: 'stage.completed', stage: opts.stage });
    return out;
  } catch (e) {
    const payload = isConvergeError(e)
      ? { code: e.code, message: e.message, context: safeContext(e.context) }
      : { message: String(e) };
    if (opts.attach && prev) await rec.event({ kind: 'stage.failed', payload });
    else await rec.finish('failed', payload);
    throw e;
  } finally {
    await rec.close();
  }
}

/** Keeps row values out of the run record: the operator has them in the error output. */
function safeContext(ctx: Record<string, unknown>): Record<string, unknown> {
  const { row: _row, value: _value, verdicts, ...rest } = ctx;
  return verdicts
    ? { ...rest, tablesDiffering: (verdicts as Array<{ ok: boolean }>).filter((v) => !v.ok).length }
    : rest;
}

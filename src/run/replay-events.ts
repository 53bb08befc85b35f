import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { ConvergeError, messageOf } from '../core/errors';
import type { PgSession } from '../target/postgres/connect';
import { replayRuns } from '../target/postgres/run-history';

/** The file a run writes its events to while the target cannot be reached. */
export const EVENTS_FILE = 'events.jsonl';

export interface ReplayResult {
  file: string;
  runs: string[];
  events: number;
  /** Events already in converge.run_events (an earlier, interrupted replay). */
  duplicates: number;
  /** Where the file went once replayed, so the next run does not read it again. */
  movedTo?: string;
}

interface JsonlEvent {
  runId: string;
  kind: string;
  stage?: string;
  table?: string;
  at: string;
  payload?: Record<string, unknown>;
  run?: { pipeline?: string; source?: unknown; target?: unknown; settings?: unknown };
  key: string;
}

/**
 * Replays events.jsonl into converge.runs / converge.run_events in one transaction. Each line's
 * hash is its replay key, so replaying the same file twice records nothing twice. The run row is
 * created from the first line's run descriptor when missing; a terminal event sets its status.
 * Returns undefined when there is no file. The caller owns the client and the run schema.
 */
export async function replayEventsFile(client: PgSession, file: string): Promise<ReplayResult | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConvergeError('IO_FAILED', `cannot read ${file}: ${messageOf(e)}`, { stage: 'run', file }, { cause: e });
  }
  const events = parseEventLines(text, file);
  try {
    const runs = new Map<string, JsonlEvent[]>();
    for (const e of events) runs.set(e.runId, [...(runs.get(e.runId) ?? []), e]);
    const inserted = await replayRuns(
      client,
      [...runs].map(([runId, list]) => {
        const last = [...list].reverse().find((e) => e.kind === 'run.completed' || e.kind === 'run.failed');
        return {
          runId,
          run: list.find((e) => e.run)?.run ?? {},
          startedAt: list[0].at,
          events: list,
          end: last && {
            status: last.kind === 'run.completed' ? ('completed' as const) : ('failed' as const),
            at: last.at,
          },
        };
      }),
    );
    const movedTo = file.replace(/\.jsonl$/, `.replayed-${new Date().toISOString().replace(/[:.]/g, '')}.jsonl`);
    await fsp.rename(file, movedTo);
    return { file, runs: [...runs.keys()], events: inserted, duplicates: events.length - inserted, movedTo };
  } catch (e) {
    if (e instanceof ConvergeError) throw e;
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `replaying ${file} failed: ${messageOf(e)}`,
      { stage: 'run', file },
      { cause: e },
    );
  }
}

/** One event per line; a torn last line (the process died mid-write) is the only line skipped. */
export function parseEventLines(text: string, file: string): JsonlEvent[] {
  const lines = text.split('\n');
  const out: JsonlEvent[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let v: Partial<JsonlEvent>;
    try {
      v = JSON.parse(raw) as Partial<JsonlEvent>;
    } catch {
      if (i === lines.length - 1) return; // no newline after it: torn, not corrupt
      throw new ConvergeError('CONFIG_INVALID', `line ${i + 1} of the run's event file is not JSON`, {
        stage: 'run',
        file,
        line: i + 1,
      });
    }
    if (typeof v.runId !== 'string' || typeof v.kind !== 'string' || typeof v.at !== 'string') {
      throw new ConvergeError('CONFIG_INVALID', 'an event needs runId, kind and at', {
        stage: 'run',
        file,
        line: i + 1,
      });
    }
    out.push({ ...(v as JsonlEvent), key: createHash('sha256').update(raw).digest('hex').slice(0, 32) });
  });
  return out;
}

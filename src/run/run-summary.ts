import type { RunEventRow, RunRow } from '../target/postgres/run-history';

export const STAGES = ['export', 'transform', 'import', 'verify'] as const;

export interface StageTableLine {
  stage: string;
  table: string;
  rows: number | null;
  bytes: number | null;
  seconds: number | null;
  outcome: 'ok' | 'failed' | 'differs';
  error?: string;
  /** The source table a transformed table came from, when the names differ or are recorded. */
  sourceTable?: string;
}

export interface StageLine {
  stage: string;
  startedAt: string;
  seconds: number;
  tables: number;
  rows: number;
  bytes: number;
  outcome: 'ok' | 'failed';
}

/** The online switch of a followed run (converge cutover), from its cutover.completed event. */
export interface CutoverLine {
  /** Binary log position the target holds the source at. */
  position: { file: string; position: number };
  frozenAt: string;
  verifiedAt: string;
  /** Write downtime: from the freeze to the proof that target == source. */
  downtimeSeconds: number;
  /** The source was read_only (else the operator said it was frozen). */
  readOnly: boolean;
  tables: number;
}

export interface RunSummary {
  run: RunRow;
  /** What `runs` prints as the status: the stored one, or "export finished" between stages. */
  state: string;
  seconds: number | null;
  stages: StageLine[];
  tables: StageTableLine[];
  errors: Array<{ at: string; stage: string | null; table: string | null; code?: string; message: string }>;
  /** Present when the run was followed and switched over (the last switch, if several). */
  cutover?: CutoverLine;
}

const TABLE_KINDS: Record<string, string> = {
  'table.exported': 'export',
  'table.transformed': 'transform',
  'table.loaded': 'import',
  'table.failed': 'import',
  'table.verified': 'verify',
};

const num = (v: unknown): number | null =>
  v === undefined || v === null || Number.isNaN(Number(v)) ? null : Number(v);
const ms = (iso: string) => new Date(iso).getTime();

/**
 * What a run did, from its events alone: per stage and per table the rows, bytes, seconds and
 * outcome, and every error. Pure, so `runs show`, rehearsal reports and tests read it the same way.
 */
export function summarizeRun(run: RunRow, events: RunEventRow[]): RunSummary {
  const tables: StageTableLine[] = [];
  const stageEvents = new Map<string, RunEventRow[]>();
  let previousAt = run.startedAt;
  const firstAt = new Map<string, string>();
  for (const e of events) {
    const stage = e.stage ?? TABLE_KINDS[e.kind];
    if (stage && (STAGES as readonly string[]).includes(stage)) {
      if (!firstAt.has(stage)) firstAt.set(stage, e.kind === 'stage.started' ? e.at : previousAt);
      stageEvents.set(stage, [...(stageEvents.get(stage) ?? []), e]);
    }
    const kindStage = TABLE_KINDS[e.kind];
    if (kindStage && e.table) {
      const p = e.payload;
      const secs = num(p.seconds) ?? (kindStage === 'verify' ? (ms(e.at) - ms(previousAt)) / 1000 : null);
      if (e.kind === 'table.failed')
        tables.push({
          stage: kindStage,
          table: e.table,
          rows: null,
          bytes: null,
          seconds: secs,
          outcome: 'failed',
          error: [p.code, p.message].filter(Boolean).join(': '),
        });
      else if (e.kind === 'table.verified')
        tables.push({
          stage: kindStage,
          table: e.table,
          rows: num(p.targetRows),
          bytes: null,
          seconds: secs,
          outcome: p.ok === false ? 'differs' : 'ok',
          ...(p.ok === false ? { error: ((p.problems as string[] | undefined) ?? []).join('; ') } : {}),
        });
      else
        tables.push({
          stage: kindStage,
          table: e.table,
          rows: num(p.rows ?? p.rowsOut),
          bytes: num(p.bytes),
          seconds: secs,
          outcome: 'ok',
          ...(typeof p.sourceTable === 'string' ? { sourceTable: p.sourceTable } : {}),
        });
    }
    previousAt = e.at;
  }
  const stages: StageLine[] = [];
  for (const stage of STAGES) {
    const list = stageEvents.get(stage);
    if (!list) continue;
    const lines = tables.filter((t) => t.stage === stage);
    const start = firstAt.get(stage)!;
    stages.push({
      stage,
      startedAt: start,
      seconds: Math.max(0, (ms(list[list.length - 1].at) - ms(start)) / 1000),
      tables: lines.length,
      rows: lines.reduce((n, t) => n + (t.rows ?? 0), 0),
      bytes: lines.reduce((n, t) => n + (t.bytes ?? 0), 0),
      outcome: lines.some((t) => t.outcome !== 'ok') ? 'failed' : 'ok',
    });
  }
  const errors = events
    .filter(
      (e) =>
        e.kind === 'run.failed' || e.kind === 'table.failed' || (e.kind === 'table.verified' && e.payload.ok === false),
    )
    .map((e) => ({
      at: e.at,
      stage: e.stage,
      table: e.table,
      code: e.payload.code as string | undefined,
      message: String(e.payload.message ?? ((e.payload.problems as string[] | undefined) ?? []).join('; ')),
    }));
  const end = run.endedAt ?? events[events.length - 1]?.at;
  const cut = events.filter((e) => e.kind === 'cutover.completed').pop()?.payload;
  const cutover: CutoverLine | undefined = cut && {
    position: cut.position as CutoverLine['position'],
    frozenAt: String(cut.frozenAt),
    verifiedAt: String(cut.verifiedAt),
    downtimeSeconds: Number(cut.downtimeSeconds),
    readOnly: cut.readOnly === true,
    tables: Number(cut.tables ?? 0),
  };
  const lastStage = [...events].reverse().find((e) => e.kind.startsWith('stage.'));
  const state = runState(run.status, lastStage ? `${lastStage.kind} ${lastStage.stage ?? ''}` : null);
  return {
    run,
    state,
    seconds: end ? (ms(end) - ms(run.startedAt)) / 1000 : null,
    stages,
    tables,
    errors,
    ...(cutover ? { cutover } : {}),
  };
}

/** The online switch in one sentence, as `runs show` and the run report say it. */
export function describeCutover(c: CutoverLine): string {
  return `online cut-over at ${c.position.file}:${c.position.position}: write downtime ${c.downtimeSeconds.toFixed(1)} s (frozen ${c.frozenAt}, verified ${c.verifiedAt}; source ${c.readOnly ? 'read_only' : 'frozen by the operator'})`;
}

/**
 * A run spans the stages (export, transform, import): between two commands it is neither
 * running nor ended. Its last stage event says which: "export finished" when that stage's
 * command completed, the stored status otherwise.
 */
export function runState(status: string, lastStageEvent: string | null): string {
  const m = /^stage\.completed (\w+)$/.exec(lastStageEvent ?? '');
  return status === 'running' && m ? `${m[1]} finished` : status;
}

/** "1.2 GB", "340 kB": decimal units, as disks are sold and as --production-size reads them. */
export function formatBytes(n: number | null): string {
  if (n === null) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

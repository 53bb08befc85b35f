import type { RehearsalResult, RehearsalTable } from './rehearsal-result';

export interface Delta {
  name: string;
  before: number;
  after: number;
  /** after − before */
  change: number;
  /** Relative change in percent; null when before was 0. */
  percent: number | null;
}

export interface RehearsalComparison {
  previousRunId: string;
  previousAt: string;
  /** Same source rows: timings compare like for like. */
  sameSize: boolean;
  rows: Delta;
  bytes: Delta;
  phases: Delta[];
  tables: Delta[];
  /** The predicted write downtime, when both predicted for the same production size. */
  predictedSeconds?: Delta;
  /** The measured write downtime (migrate's load and verify). */
  writeDowntime: Delta;
}

function delta(name: string, before: number, after: number): Delta {
  return {
    name,
    before,
    after,
    change: after - before,
    percent: before === 0 ? null : ((after - before) / before) * 100,
  };
}

/** A table's cut-over seconds: migrate's load of it plus its verification. */
export const tableSeconds = (t: RehearsalTable): number => t.seconds + t.verify;

const sameSize = (a: { rows?: number; bytes?: number }, b: { rows?: number; bytes?: number }) =>
  a.rows === b.rows && a.bytes === b.bytes;

/** This rehearsal against the previous one of the same pipeline: phase and table seconds, size, prediction. */
export function compareRehearsals(previous: RehearsalResult, current: RehearsalResult): RehearsalComparison {
  const prevPhase = new Map(previous.phases.map((p) => [p.phase, p.seconds]));
  const prevTable = new Map(previous.tables.map((t) => [t.table, tableSeconds(t)]));
  return {
    previousRunId: previous.runId,
    previousAt: previous.at,
    sameSize: previous.rows === current.rows,
    rows: delta('rows', previous.rows, current.rows),
    writeDowntime: delta('write downtime', previous.writeDowntimeSeconds, current.writeDowntimeSeconds),
    bytes: delta('bytes', previous.bytes, current.bytes),
    phases: current.phases
      .filter((p) => prevPhase.has(p.phase))
      .map((p) => delta(p.phase, prevPhase.get(p.phase)!, p.seconds)),
    tables: current.tables
      .filter((t) => prevTable.has(t.table))
      .map((t) => delta(t.table, prevTable.get(t.table)!, tableSeconds(t))),
    ...(previous.forecast && current.forecast && sameSize(previous.forecast.given, current.forecast.given)
      ? { predictedSeconds: delta('predicted write downtime', previous.forecast.seconds, current.forecast.seconds) }
      : {}),
  };
}

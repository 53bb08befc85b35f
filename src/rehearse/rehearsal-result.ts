import type { MigrateTableResult } from '../migrate/run-migrate';
/** What one rehearsal of one pipeline measured; stored as the payload of a rehearsal.completed event. */
export interface RehearsalResult {
  pipeline: string;
  runId: string;
  /** When the rehearsal finished (ISO). */
  at: string;
  scale: number;
  /** Rows in the source after seeding (or as found, with a reused source). */
  sourceRows: number;
  sourceReused: boolean;
  /** The cut-over command the rehearsal ran and timed, with its flags: `converge migrate`, through runMigrate. */
  cutover: { command: 'migrate'; jobs: number; keepFiles: boolean; verify: true };
  /** Every phase in order: reset, source-schema, seed (scratch set-up), then the cut-over's schema-apply, load, verify. */
  phases: RehearsalPhase[];
  /** migrate's per-table results (MigrateResult.tables), with each table's verification. */
  tables: RehearsalTable[];
  /** The source's data size (MySQL DATA_LENGTH of the migrated tables): the size throughput and the prediction are measured in. */
  bytes: number;
  /** Rows migrate loaded. */
  rows: number;
  throughput: StageThroughput[];
  prediction?: DowntimePrediction;
  verified: boolean;
}

export type Phase = 'reset' | 'source-schema' | 'seed' | 'schema-apply' | 'load' | 'verify';

export interface RehearsalPhase {
  phase: Phase;
  seconds: number;
  /** The converge command of the cut-over runbook that this phase times; absent for the scratch set-up. */
  command?: 'schema apply' | 'migrate';
}

/** Which cut-over command each cut-over phase is: load and verify are MigrateResult.seconds. */
export const PHASE_COMMANDS: Partial<Record<Phase, RehearsalPhase['command']>> = {
  'schema-apply': 'schema apply',
  load: 'migrate',
  verify: 'migrate',
};

/** The phases with writes frozen on cut-over night: `converge migrate`'s load and verification. */
export const CUTOVER_STAGES = ['load', 'verify'] as const;
export type CutoverStage = (typeof CUTOVER_STAGES)[number];

/** A table as migrate reported it (seconds: read, mapped and loaded in its transaction), with its verification. */
export interface RehearsalTable extends Pick<
  MigrateTableResult,
  'table' | 'sourceTable' | 'rowsIn' | 'rows' | 'seconds' | 'path' | 'fkChecks'
> {
  /** Seconds of the table's verification. */
  verify: number;
  verified: boolean;
}

export interface StageThroughput {
  stage: CutoverStage;
  seconds: number;
  bytesPerSecond: number;
  rowsPerSecond: number;
}

export interface DowntimePrediction {
  method: 'linear extrapolation of measured bytes per second, per stage';
  productionBytes: number;
  measuredBytes: number;
  stages: Array<{ stage: CutoverStage; seconds: number }>;
  /** Writes are frozen for migrate's load and verification: the sum of the stages. */
  totalSeconds: number;
}

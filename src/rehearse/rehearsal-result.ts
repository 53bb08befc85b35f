import type { MigrateTableResult } from '../migrate/run-migrate';
import type { DowntimeForecast, MeasuredSample } from './downtime-model';
import type { OnlineRehearsal } from './online-result';

/** What one rehearsal of one pipeline measured; stored as the payload of a rehearsal.completed event. */
export interface RehearsalResult {
  pipeline: string;
  /** The run of the full-size sample (the last one). */
  runId: string;
  /** When the rehearsal finished (ISO). */
  at: string;
  /** The source as rehearsed: the operator's copy as found, or a scratch source seeded for the rehearsal. */
  source: { database: string; seeded?: { scale: number } };
  target: { database: string };
  /** The cut-over command the rehearsal ran and timed, with its flags: `converge migrate`, through runMigrate. */
  cutover: { command: 'migrate'; jobs: number; keepFiles: boolean; verify: true };
  /** The full-size sample's phases in order: reset, source-schema, seed (scratch set-up), then the cut-over's schema-apply, load, verify. */
  phases: RehearsalPhase[];
  /** migrate's per-table results (MigrateResult.tables) of the full-size sample, with each table's verification. */
  tables: RehearsalTable[];
  /** The source's data size (MySQL DATA_LENGTH of the migrated tables) of the full-size sample. */
  bytes: number;
  /** Rows migrate read from the source in the full-size sample. */
  rows: number;
  /** Every run of the composition, smallest first; the last is the full size. */
  samples: RehearsalSample[];
  /** A run at scale 1 before two seeded sizes: its extra cost over the line is the cold-start cost. */
  warmUp?: RehearsalSample;
  /** Writes are frozen for migrate's load and verification: their seconds in the full-size sample. */
  writeDowntimeSeconds: number;
  /** The write downtime predicted for the production size, when one was given. */
  forecast?: DowntimeForecast;
  /** --online: the online cut-over's run on the full-size data, with the switch's measured write downtime. */
  online?: OnlineRehearsal;
  /** Every table verified: the offline runs', and the online switch's. */
  verified: boolean;
}

/** One run of the composition at one size, as the downtime model reads it. */
export interface RehearsalSample extends MeasuredSample {
  runId: string;
  /** The seeder's scale, for a seeded sample. */
  scale?: number;
}

export type Phase = 'reset' | 'source-schema' | 'seed' | 'schema-apply' | 'load' | 'verify';

export interface RehearsalPhase {
  phase: Phase;
  seconds: number;
  /** The converge command of the cut-over runbook that this phase times; absent for the scratch set-up. */
  command?: PhaseCommand;
}

export type PhaseCommand = 'schema apply' | 'migrate';

/** Which cut-over command each cut-over phase is: load and verify are MigrateResult.seconds. */
export const PHASE_COMMANDS: Partial<Record<Phase, PhaseCommand>> = {
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

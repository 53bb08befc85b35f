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
  /** Every phase in order: reset, schema, seed, export, transform, import, verify. */
  phases: Array<{ phase: Phase; seconds: number }>;
  tables: RehearsalTable[];
  /** Exported CSV bytes, the size the throughput and the prediction are measured in. */
  bytes: number;
  rows: number;
  throughput: StageThroughput[];
  prediction?: DowntimePrediction;
  verified: boolean;
}

export type Phase = 'reset' | 'schema' | 'seed' | 'export' | 'transform' | 'import' | 'verify';
export const CUTOVER_STAGES = ['export', 'transform', 'import', 'verify'] as const;
export type CutoverStage = (typeof CUTOVER_STAGES)[number];

export interface RehearsalTable {
  table: string;
  rows: number;
  /** CSV bytes of the table: as loaded when the import records it, else as exported. */
  bytes: number;
  export: number;
  transform: number;
  import: number;
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
  /** Writes are frozen from the final export to the end of verification: the sum of the stages. */
  totalSeconds: number;
}

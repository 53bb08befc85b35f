import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import type { Pipeline } from '../pipeline/load-pipeline';
import type { RunRecorder } from '../run/run-recorder';
import type { GroupPlan } from '../target/postgres/load/load-plan';
import type { VerifyReport } from '../verify/run-verify';

/** What `converge migrate` takes and gives back. */

export interface MigrateOptions {
  pipeline: Pipeline;
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
  mappingDir: string;
  log: Logger;
  recorder?: RunRecorder;
  /** Tables moved at once, each with its own MySQL connection (one snapshot) and Postgres transaction. */
  jobs?: number;
  /** Also write each table's transformed CSV and a transform manifest to <workDir>/transform. */
  keepFiles?: boolean;
  truncate?: boolean;
  /** Keep Postgres's per-row foreign-key checks (default: one set-based check per key where the role may). */
  perRowFkChecks?: boolean;
  /** Prove the load afterwards (default true). */
  verify?: boolean;
  expectationsFile?: string;
}

export type MigrateStatus = 'migrated' | 'failed' | 'not-run';

export interface MigrateTableResult {
  table: string;
  sourceTable: string;
  rowsIn: number;
  rows: number;
  seconds: number;
  path?: 'streamed' | 'staged';
  fkChecks?: 'per-row' | 'set-based';
  status: MigrateStatus;
  error?: string;
}

export interface MigrateResult {
  runId?: string;
  /** Where the manifest is: <workDir>/transform with --keep-files, else <workDir>/migrate. */
  manifestDir: string;
  plan: GroupPlan[];
  tables: MigrateTableResult[];
  sequences: Array<{ sequence: string; value: string | null }>;
  seededDeleted: Record<string, number>;
  verify?: VerifyReport;
  seconds: { load: number; verify: number };
}

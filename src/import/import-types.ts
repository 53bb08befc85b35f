import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import type { Manifest } from '../manifest';
import type { RunRecorder } from '../run/run-recorder';
import type { GroupPlan } from '../target/postgres/load/load-plan';

/** What `converge import` takes and gives back. */

export interface ImportOptions {
  dir: string;
  target: ConnectionInfo;
  log: Logger;
  recorder?: RunRecorder;
  /** Empty the load's non-empty target tables first (otherwise they are refused). */
  truncate?: boolean;
  /** Groups of independent tables loaded at once, each on its own connection (per-table mode). */
  jobs?: number;
  /** Continue a load that failed or was killed: tables committed by it are kept (checked by count). */
  resume?: boolean;
  /** One transaction for everything: all or nothing (one connection; jobs is ignored). */
  singleTransaction?: boolean;
  /** Keep going past rejected rows, up to this many, writing them to reject files. */
  collectErrors?: number;
  /** Where reject files go; default <dir>/rejects. */
  rejectDir?: string;
  /** Target tables ("table" or "schema.table") whose pre-existing (seeded) rows the load replaces. */
  replaceSeeded?: string[];
  /** Keep Postgres's per-row foreign-key checks (default: one set-based check per key and table where the role may). */
  perRowFkChecks?: boolean;
}

export type LoadStatus = 'loaded' | 'resumed' | 'failed' | 'not-run' | 'rolled-back';

export interface TableLoad {
  table: string;
  rows: number;
  preexisting: number;
  rejected: number;
  seconds: number;
  status: LoadStatus;
  error?: string;
}

export interface ImportResult {
  manifest: Manifest;
  plan: GroupPlan[];
  tables: TableLoad[];
  sequences: Array<{ sequence: string; value: string | null }>;
  seededDeleted: Record<string, number>;
  rejected: number;
  rejectDir?: string;
}

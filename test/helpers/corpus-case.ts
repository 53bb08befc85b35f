import type { ErrorCode } from '../../src/core/errors';
import type { ExitCodeValue } from '../../src/core/exit-codes';

/** The stage a bad input belongs to; the closing note counts cases by it. */
export type CorpusStage =
  'config' | 'connect' | 'mapping' | 'export' | 'csv' | 'transform' | 'import' | 'concurrency' | 'stall';

/** What a case can see: its own work dir, mapping and pipeline files, and the shared servers. */
export interface CaseContext {
  slug: string;
  dir: string;
  work: string;
  exportDir: string;
  transformDir: string;
  mappingFile: string;
  pipelineFile: string;
  /** Postgres schema this case loads into (each case has its own, in one shared database). */
  schema: string;
  sourceUrl: string;
  targetUrl: string;
  /** A loopback port nothing listens on, and one that accepts and never answers. */
  closedPort: number;
  silentPort: number;
  /** Runs SQL on the shared target with search_path set to the case's schema. */
  pg(sql: string): Promise<Array<Record<string, unknown>>>;
}

/**
 * One bad input. Add a case by adding a row to a file under test/corpus/cases: say what to set up,
 * which command fails, the exact error, and what must be left behind.
 */
export interface CorpusCase {
  name: string;
  stage: CorpusStage;
  /**
   * 'volume': the source is a database with one table, volume_rows (40 000 rows, 8 MB: more than
   * loopback socket buffers hold, so a path frozen mid-stream stops a table half-way), instead of
   * the bad values; `from` then exports it for the case.
   */
  source?: 'volume';
  /** Mapping YAML (mapping/mapping.yaml); source tables it does not name are marked skip in a second file. */
  mapping?: string;
  /** false: do not add the skip file (a case about unmapped tables). */
  skipOthers?: boolean;
  /** Pipeline YAML instead of the generated one. */
  pipeline?: (c: CaseContext) => string;
  /** Postgres DDL run in the case's schema before anything else. */
  pg?: string;
  /** What the work dir starts with: nothing, the shared export, or that export transformed by this case's mapping. */
  from?: 'none' | 'export' | 'transform';
  /** Breaks something after set-up (a file, the target) before the failing command runs. */
  tamper?: (c: CaseContext) => Promise<void>;
  /** The failing command: a stage name (common flags added) or full argv. */
  run: 'export' | 'transform' | 'import' | 'verify' | ((c: CaseContext) => string[]);
  /** A bash line wrapping the CLI (ulimit, trap); "$@" is the converge command. */
  shell?: string;
  /** Environment variables for the command (a setting given as CONVERGE_… instead of a flag). */
  env?: Record<string, string>;
  /**
   * A fault that lives while the command runs (another session holding the load lock, a run left
   * "running", a proxy that freezes, a server that never answers): arranged just before the
   * command, for its staged run and its migrate run alike, and torn down as soon as it ended,
   * before anything is checked.
   */
  fault?: (c: CaseContext) => Promise<ArrangedFault>;
  expect: {
    exit: ExitCodeValue;
    code: ErrorCode;
    /** Substrings of the error line: file:line, key, table, CSV line, column. */
    where?: (c: CaseContext) => string[];
    message?: RegExp;
    /** Must appear nowhere in stdout or stderr (passwords). */
    absent?: (c: CaseContext) => string[];
    /** The command ends within this many ms (a bounded wait: time-outs, refusals that must come at once). */
    within?: number;
  };
  /** The state left behind. Target tables (in the case schema) and their row counts; manifests that must not claim completion. */
  after?: {
    rows?: Record<string, number>;
    incomplete?: Array<'export' | 'transform'>;
    check?: (c: CaseContext) => Promise<void>;
  };
  /**
   * The same bad input through `converge migrate`, which must fail with the same error code and
   * exit code; or, for an input migrate can never see (a CSV file or manifest changed between
   * stages: migrate reads neither), why not. Required: no case leaves migrate out by accident.
   */
  migrate: MigrateRun | { notApplicable: string };
}

/**
 * How a case runs through `converge migrate --keep-files`, in its own work dir and a fresh target
 * schema (the case's DDL applied). Afterwards no manifest may claim completion, and every target
 * table holds what it held before, except as `rows` (default: the case's after.rows) says.
 */
export interface MigrateRun {
  /** argv instead of the case's own with its command word replaced by `migrate` (or `migrate` and the common flags). */
  run?: (c: CaseContext) => string[];
  /** Instead of the case's mapping, DDL and tamper: the same fault where migrate meets it. */
  mapping?: string;
  pg?: string;
  tamper?: (c: CaseContext) => Promise<void>;
  /** Substrings of the error line (migrate names the source key where the staged commands name a CSV line). */
  where?: (c: CaseContext) => string[];
  /** The error line also holds the case's own `where` and `message` (config, connection and mapping errors). */
  sameError?: true;
  rows?: Record<string, number>;
  check?: (c: CaseContext) => Promise<void>;
}

/** A fault set up for one run of a case. */
export interface ArrangedFault {
  /** The URLs the command is given instead of the case's (a proxy or a silent server in their place). */
  sourceUrl?: string;
  targetUrl?: string;
  /** Ends the fault: closes its sessions, proxies and servers, waits for what it started. */
  teardown(): Promise<void>;
  /** After the runner's own checks: that the fault happened as arranged, and what it must have left. */
  check?(): Promise<void>;
}

export function migrateRun(c: CorpusCase): MigrateRun | undefined {
  return 'notApplicable' in c.migrate ? undefined : c.migrate;
}

/** One line of the CLI's error output: "converge: CODE: where: message". */
export function errorLine(stderr: string): { code: string; line: string } | undefined {
  for (const l of stderr.split('\n')) {
    const m = /^converge: ([A-Z_]+): /.exec(l);
    if (m) return { code: m[1], line: l };
  }
  return undefined;
}

import { ExitCode, ExitCodeValue } from './exit-codes';

/**
 * Where a problem is. Every field is optional; fill in what is known so an operator can find
 * the file line, the table row or the mapping key without reading a stack trace.
 */
export interface ErrorContext {
  stage?: 'config' | 'export' | 'transform' | 'import' | 'verify' | 'schema' | 'run' | 'demo' | 'follow';
  file?: string;
  line?: number;
  key?: string;
  table?: string;
  column?: string;
  /** 1-based physical line in the CSV file where the record starts (header is line 1). */
  csvLine?: number;
  /** 1-based record number (data rows only). */
  record?: number;
  constraint?: string;
  detail?: string;
  value?: string;
  /** The offending row as column → value, for the operator to find it in the source. */
  row?: Record<string, string | null>;
  [extra: string]: unknown;
}

/** Stable machine-readable error codes; the message is for humans, the code is for scripts. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_URL'
  | 'MAPPING_INVALID'
  | 'MAPPING_UNKNOWN_TABLE'
  | 'MAPPING_UNKNOWN_COLUMN'
  | 'PIPELINE_UNKNOWN'
  | 'CONNECT_FAILED'
  | 'STALLED'
  | 'AUTH_FAILED'
  | 'TLS_FAILED'
  | 'EXPORT_FAILED'
  | 'MANIFEST_INVALID'
  | 'CSV_INVALID'
  | 'CSV_CHECKSUM'
  | 'VALUE_INVALID'
  | 'ENUM_UNMAPPED'
  | 'UUID_INVALID'
  | 'JSON_INVALID'
  | 'TIMESTAMP_INVALID'
  | 'LOOKUP_MISSING'
  | 'DUPLICATE_ROW'
  | 'UNDECLARED_CHANGE'
  | 'LOAD_REJECTED'
  | 'TARGET_NOT_EMPTY'
  | 'TARGET_BUSY'
  | 'TARGET_SCHEMA'
  | 'VERIFY_FAILED'
  | 'IO_FAILED'
  | 'USAGE'
  | 'BINLOG_UNSUITABLE'
  | 'BINLOG_PURGED'
  | 'FOLLOW_DDL'
  | 'FOLLOW_TRUNCATE'
  | 'FOLLOW_NO_PRIMARY_KEY'
  | 'FOLLOW_UNSUPPORTED'
  | 'FOLLOW_DIVERGED'
  | 'SOURCE_NOT_FROZEN'
  | 'INTERNAL';

const EXIT_BY_CODE: Record<ErrorCode, ExitCodeValue> = {
  CONFIG_INVALID: ExitCode.BadConfig,
  CONFIG_URL: ExitCode.Usage,
  MAPPING_INVALID: ExitCode.BadConfig,
  MAPPING_UNKNOWN_TABLE: ExitCode.BadConfig,
  MAPPING_UNKNOWN_COLUMN: ExitCode.BadConfig,
  PIPELINE_UNKNOWN: ExitCode.Usage,
  CONNECT_FAILED: ExitCode.Connection,
  STALLED: ExitCode.Connection,
  AUTH_FAILED: ExitCode.Connection,
  TLS_FAILED: ExitCode.Connection,
  EXPORT_FAILED: ExitCode.BadData,
  MANIFEST_INVALID: ExitCode.BadConfig,
  CSV_INVALID: ExitCode.BadData,
  CSV_CHECKSUM: ExitCode.BadData,
  VALUE_INVALID: ExitCode.BadData,
  ENUM_UNMAPPED: ExitCode.BadData,
  UUID_INVALID: ExitCode.BadData,
  JSON_INVALID: ExitCode.BadData,
  TIMESTAMP_INVALID: ExitCode.BadData,
  LOOKUP_MISSING: ExitCode.BadData,
  DUPLICATE_ROW: ExitCode.BadData,
  UNDECLARED_CHANGE: ExitCode.BadData,
  LOAD_REJECTED: ExitCode.LoadRejected,
  TARGET_NOT_EMPTY: ExitCode.TargetState,
  TARGET_BUSY: ExitCode.TargetState,
  TARGET_SCHEMA: ExitCode.TargetState,
  VERIFY_FAILED: ExitCode.VerifyFailed,
  IO_FAILED: ExitCode.Io,
  USAGE: ExitCode.Usage,
  BINLOG_UNSUITABLE: ExitCode.Follow,
  BINLOG_PURGED: ExitCode.Follow,
  FOLLOW_DDL: ExitCode.Follow,
  FOLLOW_TRUNCATE: ExitCode.Follow,
  FOLLOW_NO_PRIMARY_KEY: ExitCode.Follow,
  FOLLOW_UNSUPPORTED: ExitCode.Follow,
  FOLLOW_DIVERGED: ExitCode.Follow,
  SOURCE_NOT_FROZEN: ExitCode.Follow,
  INTERNAL: ExitCode.Bug,
};

export class ConvergeError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConvergeError';
    this.code = code;
    this.context = context;
  }

  get exitCode(): ExitCodeValue {
    return EXIT_BY_CODE[this.code];
  }

  /** A copy with more context: lower layers know the value, upper layers know the table. */
  withContext(extra: ErrorContext): ConvergeError {
    const merged = new ConvergeError(this.code, this.message, { ...extra, ...this.context }, { cause: this.cause });
    merged.stack = this.stack;
    return merged;
  }

  /** One human line: "file:line: message" or "table x, line n, column c: message". */
  describe(): string {
    const c = this.context;
    const where: string[] = [];
    if (c.file) where.push(c.line ? `${c.file}:${c.line}` : c.file);
    if (c.key) where.push(`key ${c.key}`);
    if (c.table) where.push(`table ${c.table}`);
    if (c.csvLine !== undefined) where.push(`CSV line ${c.csvLine}`);
    if (c.column) where.push(`column ${c.column}`);
    if (c.constraint) where.push(`constraint ${c.constraint}`);
    const head = where.length ? `${where.join(', ')}: ` : '';
    const lines = [`${this.code}: ${head}${this.message}`];
    if (c.detail) lines.push(`  detail: ${c.detail}`);
    if (c.row) lines.push(`  row: ${JSON.stringify(c.row)}`);
    return lines.join('\n');
  }
}

export function isConvergeError(e: unknown): e is ConvergeError {
  return e instanceof ConvergeError;
}

/** The message of anything thrown, for wrapping driver errors without losing them. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

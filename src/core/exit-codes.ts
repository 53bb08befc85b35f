/** Exit codes, chosen in one place. The CLI maps ConvergeError codes onto these. */
export const ExitCode = {
  Ok: 0,
  /** Unexpected failure: a bug in converge. */
  Bug: 1,
  /** Wrong flags or arguments. */
  Usage: 2,
  /** A mapping, pipeline or manifest file is invalid. */
  BadConfig: 3,
  /** A server could not be reached or refused the credentials. */
  Connection: 4,
  /** Source data could not be exported or transformed (bad value, bad CSV). */
  BadData: 5,
  /** Postgres rejected a row (constraint, type) during import. */
  LoadRejected: 6,
  /** Verification found a difference. */
  VerifyFailed: 7,
  /** The local file system refused a write (full disk, permissions). */
  Io: 8,
  /** The target is not in the state the command needs (non-empty table, missing schema). */
  TargetState: 9,
  /** The source's changes cannot be followed (binlog settings, purged position, DDL, TRUNCATE) or it was not frozen for the switch. */
  Follow: 10,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

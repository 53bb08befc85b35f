import { ConvergeError, isConvergeError, messageOf } from '../../core/errors';

/** Socket-level failures: the server or the network went away. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether a MySQL error means the connection is gone (killed, server restarted, network cut):
 * mysql2 marks errors that closed the connection as fatal.
 */
export function isMysqlConnectionLoss(e: unknown): boolean {
  const x = e as { code?: unknown; fatal?: unknown } | undefined;
  if (x?.fatal === true) return true;
  if (typeof x?.code === 'string' && (x.code === 'PROTOCOL_CONNECTION_LOST' || SOCKET_CODES.has(x.code))) return true;
  return /connection (is in closed state|lost)|Can't add new command when connection is in closed state/i.test(
    messageOf(e),
  );
}

/**
 * A failed read of a table: a lost connection is CONNECT_FAILED (exit 4, the operator re-runs,
 * with --resume where the command has it), anything else EXPORT_FAILED (exit 5) naming the table.
 */
export function describeReadError(e: unknown, table: string): ConvergeError {
  if (isConvergeError(e) && e.code === 'STALLED')
    return new ConvergeError(
      'STALLED',
      `reading table ${table}: ${e.message}`,
      { stage: 'export', table },
      { cause: e },
    );
  if (isMysqlConnectionLoss(e))
    return new ConvergeError(
      'CONNECT_FAILED',
      `the MySQL connection was lost while reading table ${table}: ${messageOf(e)}`,
      { stage: 'export', table },
      { cause: e },
    );
  return new ConvergeError(
    'EXPORT_FAILED',
    `reading ${table} from MySQL failed: ${messageOf(e)}`,
    { stage: 'export', table },
    { cause: e },
  );
}

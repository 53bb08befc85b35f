import { DatabaseError } from 'pg';
import { ConvergeError, ErrorContext, isConvergeError, messageOf } from '../../../core/errors';

/** Socket-level failures (no SQLSTATE): the server or the network went away. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
]);

/**
 * What an error thrown during a load means, so the exit code tells the truth: a row Postgres
 * refused (SQLSTATE class 22 data exception, 23 integrity violation) is LOAD_REJECTED (exit 6);
 * a lost connection (class 08, 57P01–57P03 shutdown, a reset socket, a MySQL connection lost)
 * is CONNECT_FAILED (exit 4), worth re-running with --resume; anything else is a bug in
 * converge (INTERNAL, exit 1), not something the operator can fix in the data.
 */
export function classifyLoadError(e: unknown, ctx: ErrorContext = {}): ConvergeError {
  if (isConvergeError(e)) return e;
  const msg = messageOf(e);
  if (e instanceof DatabaseError) {
    const sqlstate = e.code;
    if (sqlstate && (sqlstate.startsWith('22') || sqlstate.startsWith('23')))
      return new ConvergeError('LOAD_REJECTED', `row rejected: ${msg}`, { ...ctx, sqlstate }, { cause: e });
    if (isConnectionLoss(sqlstate))
      return new ConvergeError(
        'CONNECT_FAILED',
        `the Postgres connection was lost (${sqlstate}: ${msg}); re-run with --resume`,
        { ...ctx, sqlstate },
        { cause: e },
      );
    return new ConvergeError(
      'INTERNAL',
      `unexpected Postgres error during the load (a bug in converge, please report it): ${sqlstate}: ${msg}`,
      { ...ctx, sqlstate },
      { cause: e },
    );
  }
  if (lostConnection(e))
    return new ConvergeError(
      'CONNECT_FAILED',
      `a connection was lost during the load: ${msg}; re-run with --resume`,
      ctx,
      {
        cause: e,
      },
    );
  return new ConvergeError(
    'INTERNAL',
    `unexpected error during the load (a bug in converge, please report it): ${msg}`,
    ctx,
    { cause: e },
  );
}

function lostConnection(e: unknown): boolean {
  const x = e as { code?: unknown; fatal?: unknown } | undefined;
  if (typeof x?.code === 'string' && SOCKET_CODES.has(x.code)) return true;
  // mysql2 marks an error that closed the connection as fatal (server gone, killed, reset).
  if (x?.fatal === true) return true;
  // pg reports a socket closed under it without a code; a client whose connection already
  // failed (or was closed) refuses the next query with "… is not queryable".
  return /Connection terminated|connection.*(closed|ended) unexpectedly|is not queryable/i.test(messageOf(e));
}

/** SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash, cannot connect now). */
export function isConnectionLoss(code: string | undefined): boolean {
  return !!code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03');
}

import { DatabaseError } from 'pg';
import { ConvergeError, ErrorContext, isConvergeError, messageOf } from '../../../core/errors';
import { repeatedKeyText } from '../../../core/key-text';

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
  const timedOut = statementTimedOut(e, ctx);
  if (timedOut) return timedOut;
  if (e instanceof DatabaseError) {
    const sqlstate = e.code;
    if (sqlstate && (sqlstate.startsWith('22') || sqlstate.startsWith('23'))) {
      const key = sqlstate === '23505' ? parseRejectedKey(e.detail) : undefined;
      return new ConvergeError(
        'LOAD_REJECTED',
        key ? `duplicate key: ${uniqueViolationText(key, e.constraint)}: ${msg}` : `row rejected: ${msg}`,
        {
          ...ctx,
          sqlstate,
          ...(key ? { columns: key.columns, values: key.values, detail: e.detail, constraint: e.constraint } : {}),
        },
        { cause: e },
      );
    }
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

/**
 * A statement cancelled by the statement time-out the operator set (57014, "canceling statement
 * due to statement timeout"): a bounded wait that ran out, most often on a table another session
 * holds, not a bad row and not a bug. STALLED (exit 4), naming the table and the setting. A
 * cancel by hand (pg_cancel_backend) is the same SQLSTATE with other words, and is left alone.
 */
export function statementTimedOut(e: unknown, ctx: ErrorContext): ConvergeError | undefined {
  const x = e as { code?: unknown; message?: unknown } | undefined;
  if (x?.code !== '57014' || !/statement timeout/i.test(messageOf(e))) return undefined;
  const table = ctx.table ? `on ${ctx.table} ` : '';
  return new ConvergeError(
    'STALLED',
    `a statement ${table}was cancelled by the statement time-out (--statement-timeout-ms or CONVERGE_STATEMENT_TIMEOUT_MS): another session may hold the table (see pg_locks), or the limit is shorter than the statement needs; nothing of this table was committed`,
    { ...ctx, sqlstate: '57014' },
    { cause: e },
  );
}

/** SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash, cannot connect now). */
export function isConnectionLoss(code: string | undefined): boolean {
  return !!code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03');
}

/** The key of a unique or foreign-key violation, as Postgres's DETAIL gives it. */
export interface RejectedKey {
  /** Every column (or expression) of the index, unquoted, in index order. */
  columns: string[];
  /** The values' text between the parentheses, as Postgres prints it ("1, Smith, John"). */
  values: string;
  /** Column → value, when the values split unambiguously (one column, or no ", " inside a value). */
  byColumn?: Record<string, string>;
}

const KEY_END = /\) (?:already exists|is not present in table .*|is still referenced from table .*)\.?$/;

/**
 * Parses `Key (a, "B c", lower((email)::text))=(1, x, y) already exists.` (and the foreign-key
 * forms): every key column, the quoted ones unquoted and an expression kept whole, and the
 * values. Column names are split on the commas outside quotes and parentheses; the values only
 * where that cannot be wrong, since Postgres prints them unquoted.
 */
export function parseRejectedKey(detail: string | undefined): RejectedKey | undefined {
  const d = (detail ?? '').trim();
  if (!d.startsWith('Key (')) return undefined;
  const columns: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  let i = 'Key ('.length;
  for (; i < d.length; i++) {
    const ch = d[i];
    if (quoted) {
      if (ch === '"' && d[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
      continue;
    }
    if (ch === ')' && depth === 0) break;
    if (ch === ',' && depth === 0) {
      columns.push(cur.trim());
      cur = '';
      continue;
    }
    if (ch === '"' && cur.trim() === '') {
      quoted = true;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    cur += ch;
  }
  columns.push(cur.trim());
  const rest = d.slice(i);
  const end = KEY_END.exec(rest);
  if (!rest.startsWith(')=(') || !end) return undefined;
  const values = rest.slice(3, end.index);
  const parts = columns.length === 1 ? [values] : values.split(', ');
  const byColumn =
    parts.length === columns.length ? Object.fromEntries(columns.map((c, k) => [c, parts[k]])) : undefined;
  return { columns, values, byColumn };
}

/** A unique violation in the words of every command (core/key-text.ts), naming the constraint. */
export function uniqueViolationText(key: RejectedKey, constraint: string | undefined): string {
  return repeatedKeyText(key.columns, key.values, constraint);
}

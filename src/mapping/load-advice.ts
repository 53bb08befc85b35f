import { ConvergeError } from '../core/errors';
import { advise, ValueProblem } from './value-advice';
import { parseRejectedKey } from '../target/postgres/load/load-error';

/** A row Postgres refused, by SQLSTATE, as the problem the probe and the transform name. */
const BY_SQLSTATE: Record<string, ValueProblem> = {
  '23502': 'null-into-not-null',
  '23505': 'duplicate-key',
  '22001': 'too-long',
  '22003': 'out-of-range',
  '22P05': 'nul-in-jsonb', // untranslatable character: the \u0000 escape into jsonb
  '22021': 'nul-in-text', // character not in repertoire: a 0x00 byte into text
  '22007': 'impossible-date',
  '22008': 'impossible-date',
};

/**
 * A load's rejected row with the advice for its problem appended: the words `map check --probe`
 * gives for the same problem (value-advice.ts), so an operator reads the same fix whichever
 * command found it. Other errors are returned as they are.
 */
export function withLoadAdvice(e: ConvergeError): ConvergeError {
  const problem = e.code === 'LOAD_REJECTED' ? BY_SQLSTATE[String(e.context.sqlstate ?? '')] : undefined;
  if (!problem) return e;
  const column = typeof e.context.column === 'string' ? e.context.column : undefined;
  // Every column of the violated index, as the load's error mapper parsed them from the DETAIL
  // (parsed here when an error was made without it, such as --collect-errors' limit).
  const keys = Array.isArray(e.context.columns)
    ? e.context.columns.map(String)
    : parseRejectedKey(typeof e.context.detail === 'string' ? e.context.detail : undefined)?.columns;
  const { words } = advise(
    problem,
    { column, kind: problem === 'nul-in-text' ? 'text' : undefined },
    { columns: keys },
  );
  const out = new ConvergeError(e.code, `${e.message}; ${words}`, e.context, { cause: e.cause });
  out.stack = e.stack;
  return out;
}

import { hasSqlDetails, parse } from 'libpg-query';
import { ConvergeError, messageOf } from '../../core/errors';

/** One statement of the parse tree; `stmt_location` (UTF-8 bytes) is omitted when 0. */
export interface RawStmt {
  stmt: Record<string, unknown>;
  stmt_location?: number;
}

/** A syntax error is a result, not an exception: the linter reports it and goes on. */
export type ParseOutcome = { ok: true; stmts: RawStmt[] } | { ok: false; message: string; cursor: number };

/** Parses with Postgres's own grammar; `cursor` counts code points from the start of `sql`. */
export async function parsePostgres(sql: string, file: string): Promise<ParseOutcome> {
  try {
    const tree = (await parse(sql)) as { stmts?: RawStmt[] };
    return { ok: true, stmts: tree.stmts ?? [] };
  } catch (e) {
    if (hasSqlDetails(e))
      return { ok: false, message: firstLine(e.sqlDetails.message), cursor: e.sqlDetails.cursorPosition };
    throw new ConvergeError(
      'INTERNAL',
      `the Postgres parser failed: ${messageOf(e)}`,
      { stage: 'schema', file },
      { cause: e },
    );
  }
}

/** "unterminated quoted string at or near" quotes the rest of the file; a finding is one line. */
function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl < 0 ? message : `${message.slice(0, nl)}…"`;
}

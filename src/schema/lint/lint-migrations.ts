import { ConvergeError } from '../../core/errors';
import { readMigrationDir } from '../migration-files';
import { AstContext } from './ast-rules';
import { LintFinding } from './lint-finding';
import { lintTree, Report, TreeSource } from './lint-tree';
import { parsePostgres } from './parse-postgres';
import { repairText } from './repair-text';
import { SourcePositions } from './source-positions';
import { scanTokens, SqlToken } from './sql-tokens';
import { hintFor } from './syntax-hints';

export type { LintFinding } from './lint-finding';

/**
 * Every re-parse follows a repair (which removes a construct for good) or moves past a
 * statement, so the loop ends; this bound only turns a bug into an error instead of a hang.
 */
const MAX_PARSES_PER_FILE = 1_000_000;

/** Lints every migration of a folder, in version order. */
export async function lintMigrationDir(dir: string): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  for (const f of await readMigrationDir(dir)) findings.push(...(await lintSql(f.sql, f.file)));
  return findings;
}

/**
 * Lints one migration. Postgres's parser decides validity; after a syntax error the lint goes
 * on, so one run reports every problem: a recognised other-dialect construct is blanked out and
 * the statement re-parsed, anything else skips to the statement's `;`.
 */
export async function lintSql(sql: string, file: string): Promise<LintFinding[]> {
  const original = new SourcePositions(sql);
  const findings: LintFinding[] = [];
  const ctx: AstContext = { localTypes: new Set() };
  const report: Report = (index, rule, message) =>
    findings.push({ file, ...original.lineColumn(index), rule, message });
  // Repairs keep JS indexes and lines those of the original; only byte and code-point counts
  // may need the working text's own map.
  let working = sql;
  let positions = original;
  let start = 0;
  // After a repair only the statement is re-parsed, up to its `;`: re-parsing the rest of the
  // file for every backtick of a MySQL dump would be quadratic.
  let windowEnd: number | undefined;
  for (let parses = 0; scanTokens(working, start, working.length, 1).length > 0; parses++) {
    if (parses > MAX_PARSES_PER_FILE)
      throw new ConvergeError('INTERNAL', 'schema lint made no progress', { stage: 'schema', file });
    const end = windowEnd ?? working.length;
    const outcome = await parsePostgres(working.slice(start, end), file);
    if (outcome.ok) {
      lintTree(outcome.stmts, { text: working, base: start, positions }, ctx, report);
      if (windowEnd === undefined) break;
      [start, windowEnd] = [windowEnd, undefined];
      continue;
    }
    const errAt = positions.indexOfCodePoint(outcome.cursor, start);
    if (windowEnd !== undefined && errAt >= windowEnd) {
      // "at end of input": the window's `;` was inside a BEGIN ATOMIC body.
      windowEnd = undefined;
      continue;
    }
    const tokens = scanTokens(working, start, end);
    const stmtStart = await lintStatementsBefore(
      errAt,
      tokens,
      { text: working, base: start, positions },
      ctx,
      report,
      file,
    );
    const errorToken = tokens.findIndex((t) => t.start <= errAt && errAt < t.end);
    const found = hintFor(
      tokens,
      errorToken,
      Math.max(
        0,
        tokens.findIndex((t) => t.start >= stmtStart),
      ),
    );
    if (!found) report(errAt, 'syntax', outcome.message);
    else if (found.at === errorToken) report(errAt, found.hint.rule, `${outcome.message}: ${found.hint.hint}`);
    else {
      const stopped = original.lineColumn(errAt);
      report(
        tokens[found.at].start,
        found.hint.rule,
        `${found.hint.hint} (the parser stopped at ${stopped.line}:${stopped.column}: ${outcome.message})`,
      );
    }
    const statementEnd = tokens.find((t) => t.kind === 'semicolon' && t.start >= errAt);
    const repaired = found ? repairText(working, tokens, found.at, found.hint) : undefined;
    if (repaired) {
      working = repaired.text;
      if (repaired.countsChanged) positions = new SourcePositions(working);
      start = stmtStart;
      windowEnd = statementEnd?.end;
      continue;
    }
    if (!statementEnd) break;
    [start, windowEnd] = [statementEnd.end, undefined];
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Lints the statements that precede the one holding the error and returns where that one
 * starts. The parser accepted everything before the error, so the longest prefix ending at a
 * `;` that parses is exactly those statements; trying `;`s from the last backwards skips the
 * ones inside a BEGIN ATOMIC body.
 */
async function lintStatementsBefore(
  errAt: number,
  tokens: SqlToken[],
  source: TreeSource,
  ctx: AstContext,
  report: Report,
  file: string,
): Promise<number> {
  const ends = tokens.filter((t) => t.kind === 'semicolon' && t.end <= errAt).reverse();
  for (const end of ends.slice(0, 50)) {
    const prefix = await parsePostgres(source.text.slice(source.base, end.end), file);
    if (prefix.ok) {
      lintTree(prefix.stmts, source, ctx, report);
      return end.end;
    }
  }
  return source.base;
}

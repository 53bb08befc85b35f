import { SqlToken } from './sql-tokens';
import { SyntaxHint } from './syntax-hints';

export interface RepairedText {
  text: string;
  /** Blanking non-ASCII text shifts byte and code-point offsets, though never JS indexes. */
  countsChanged: boolean;
}

/**
 * The text with a recognised construct blanked out (or rewritten, as backticks into double
 * quotes), character for character and keeping newlines, so every finding's line and column
 * still refer to the original file. Undefined when the hint knows no safe repair.
 */
export function repairText(text: string, tokens: SqlToken[], at: number, hint: SyntaxHint): RepairedText | undefined {
  const token = tokens[at];
  if (hint.rewrite) {
    const replacement = hint.rewrite(token);
    if (replacement === undefined || replacement.length !== token.text.length) return undefined;
    return {
      text: text.slice(0, token.start) + replacement + text.slice(token.end),
      countsChanged: nonAscii(token.text + replacement),
    };
  }
  const span = hint.span?.(tokens, at) ?? 0;
  if (span <= 0 || at + span > tokens.length) return undefined;
  const from = token.start;
  const to = tokens[at + span - 1].end;
  const blanked = text.slice(from, to);
  return {
    text: text.slice(0, from) + blanked.replace(/[^\n]/g, ' ') + text.slice(to),
    countsChanged: nonAscii(blanked),
  };
}

function nonAscii(s: string): boolean {
  return /[^\x00-\x7f]/.test(s);
}

/**
 * A lexical scan of SQL, only to locate tokens: where statements end (a `;` outside quotes,
 * comments and dollar-quoted bodies) and which words surround a parser error. Deciding whether
 * SQL is valid is the parser's job, never this scanner's.
 */
export type TokenKind =
  'word' | 'quoted-ident' | 'backtick' | 'string' | 'dollar-string' | 'number' | 'param' | 'semicolon' | 'punct';

export interface SqlToken {
  kind: TokenKind;
  /** JS indexes into the scanned text: [start, end). */
  start: number;
  end: number;
  text: string;
}

/**
 * Tokens starting in [from, to), at most `limit` of them; comments and whitespace are skipped.
 * `from` must not fall inside a quote or comment: callers start at statement boundaries.
 */
export function scanTokens(text: string, from = 0, to = text.length, limit = Infinity): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = from;
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, start, end, text: text.slice(start, end) });
    i = end;
  };
  while (i < to && tokens.length < limit) {
    const c = text[i];
    const next = text[i + 1];
    if (/\s/.test(c)) i++;
    else if (c === '-' && next === '-') i = lineEnd(text, i);
    else if (c === '/' && next === '*') i = blockCommentEnd(text, i);
    else if (c === "'") push('string', i, quotedEnd(text, i, "'", false));
    else if ((c === 'E' || c === 'e') && next === "'") push('string', i, quotedEnd(text, i + 1, "'", true));
    else if (c === '"') push('quoted-ident', i, quotedEnd(text, i, '"', false));
    else if (c === '`') push('backtick', i, quotedEnd(text, i, '`', false));
    else if (c === '$' && next !== undefined && /[0-9]/.test(next)) push('param', i, wordEnd(text, i + 1));
    else if (c === '$') {
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd < 0) push('punct', i, i + 1);
      else push('dollar-string', i, dollarBodyEnd(text, text.slice(i, tagEnd), tagEnd));
    } else if (isWordStart(c)) push('word', i, wordEnd(text, i + 1));
    else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next)))
      push('number', i, numberEnd(text, i));
    else if (c === ';') push('semicolon', i, i + 1);
    else push('punct', i, i + 1);
  }
  return tokens;
}

function isWordStart(c: string): boolean {
  return /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
}

function isWordPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;
}

function wordEnd(text: string, i: number): number {
  while (i < text.length && isWordPart(text[i])) i++;
  return i;
}

function numberEnd(text: string, i: number): number {
  while (i < text.length && /[0-9._]/.test(text[i])) i++;
  if ((text[i] === 'e' || text[i] === 'E') && /[-+0-9]/.test(text[i + 1] ?? '')) {
    i += 2;
    while (i < text.length && /[0-9]/.test(text[i])) i++;
  }
  return i;
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl + 1;
}

/** Postgres block comments nest. An unterminated one runs to the end of the text. */
function blockCommentEnd(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** End of a quoted token opened at `open`; a doubled quote is an escaped quote. */
function quotedEnd(text: string, open: number, quote: string, backslashEscapes: boolean): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return text.length;
}

/** End of `$tag$` opened at `i`, or -1 when the `$` starts no dollar quote. */
function dollarTagEnd(text: string, i: number): number {
  let j = i + 1;
  if (text[j] === '$') return j + 1;
  if (j >= text.length || (!/[A-Za-z_]/.test(text[j]) && text.charCodeAt(j) < 0x80)) return -1;
  while (j < text.length && (/[A-Za-z0-9_]/.test(text[j]) || text.charCodeAt(j) >= 0x80)) j++;
  return text[j] === '$' ? j + 1 : -1;
}

function dollarBodyEnd(text: string, tag: string, bodyStart: number): number {
  const close = text.indexOf(tag, bodyStart);
  return close < 0 ? text.length : close + tag.length;
}

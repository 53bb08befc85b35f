/**
 * What a statement in the binary log (a Query event) does to tables, read from its text. Row
 * changes come as row events; a Query event other than BEGIN/COMMIT/XA is DDL (or a TRUNCATE),
 * which changes what a table's rows look like, or empties it, without a row event. The follow
 * stops on those that touch a mapped table; the rest (other tables, other databases) pass.
 */
export interface DdlStatement {
  kind: 'truncate' | 'ddl';
  /** Tables named, with the database the statement qualified them with (else the session's). */
  tables: Array<{ database: string; table: string }>;
  /** The statement's first words, for the error (never the whole text: it may hold literals). */
  verb: string;
}

/** A transaction marker or session statement, not a change of any table. */
const NOT_DDL = /^\s*(BEGIN|COMMIT|ROLLBACK|XA\s|SAVEPOINT|RELEASE\s+SAVEPOINT|SET\s|FLUSH\s|# Dummy event)/i;

const IDENT = '(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const QUALIFIED = `(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`;

const PATTERNS: Array<{ re: RegExp; kind: DdlStatement['kind'] }> = [
  { re: new RegExp(`^\\s*TRUNCATE\\s+(?:TABLE\\s+)?${QUALIFIED}`, 'i'), kind: 'truncate' },
  {
    re: new RegExp(
      `^\\s*(?:ALTER|DROP|CREATE|RENAME)\\s+(?:ONLINE\\s+|IGNORE\\s+|OR\\s+REPLACE\\s+|TEMPORARY\\s+)*TABLES?\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?([\\s\\S]*)`,
      'i',
    ),
    kind: 'ddl',
  },
  {
    re: new RegExp(
      `^\\s*(?:CREATE|DROP)\\s+(?:ONLINE\\s+|OR\\s+REPLACE\\s+|UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)*INDEX\\s+[\\s\\S]*?\\bON\\s+${QUALIFIED}`,
      'i',
    ),
    kind: 'ddl',
  },
];

/** The tables a Query event's statement changes, or undefined for a statement that changes none. */
export function ddlStatement(query: string, sessionDatabase: string): DdlStatement | undefined {
  const text = stripComments(query);
  if (NOT_DDL.test(text) || !text.trim()) return undefined;
  const verb = text.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase();
  for (const { re, kind } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    if (m.length === 2) return { kind, verb, tables: tableList(m[1], sessionDatabase) };
    return { kind, verb, tables: [qualified(m[1], m[2], sessionDatabase)] };
  }
  // Other DDL (CREATE VIEW, a procedure, GRANT…) changes no table's rows.
  return undefined;
}

/** "a, db.b TO c" / "t ADD COLUMN …": every table named before the clause that follows the names. */
function tableList(rest: string, sessionDatabase: string): DdlStatement['tables'] {
  const out: DdlStatement['tables'] = [];
  const re = new RegExp(`^\\s*${QUALIFIED}\\s*(,|\\bTO\\b)?`, 'i');
  let s = rest;
  for (;;) {
    const m = re.exec(s);
    if (!m) break;
    out.push(qualified(m[1], m[2], sessionDatabase));
    if (!m[3]) break;
    s = s.slice(m[0].length);
  }
  return out;
}

function qualified(a: string, b: string | undefined, sessionDatabase: string): { database: string; table: string } {
  return b === undefined
    ? { database: sessionDatabase, table: unquote(a) }
    : { database: unquote(a), table: unquote(b) };
}

function unquote(id: string): string {
  return id.startsWith('`') ? id.slice(1, -1).replace(/``/g, '`') : id;
}

function stripComments(q: string): string {
  return q.replace(/\/\*(?!!)[\s\S]*?\*\//g, ' ').replace(/^\s*(--|#)[^\n]*\n/gm, '');
}

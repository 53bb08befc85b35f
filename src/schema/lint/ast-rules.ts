import { postgresTypeFor } from './mysql-types';

/** What an AST rule found: a message and the parser's byte location of the offending node. */
export interface AstHit {
  message: string;
  /** UTF-8 byte offset in the parsed text; absent when the node carries none. */
  location?: number;
}

/** Names of types the file itself creates: a local `datetime` domain is not MySQL's. */
export interface AstContext {
  localTypes: Set<string>;
}

/**
 * Things Postgres's grammar accepts but that come from another dialect and fail at execution.
 * `kind` is the parse-tree node type the rule inspects.
 */
export interface AstRule {
  rule: string;
  kind: string;
  check(node: Record<string, unknown>, ctx: AstContext): AstHit | undefined;
}

const MYSQL_COLLATION = /^(utf8|utf8mb3|utf8mb4|latin1|ascii|binary|ucs2|utf16|utf32)(_|$)/i;
const MYSQL_SESSION_SETTINGS = new Set([
  'foreign_key_checks',
  'unique_checks',
  'sql_mode',
  'sql_notes',
  'sql_safe_updates',
  'time_zone',
  'character_set_client',
  'character_set_results',
  'collation_connection',
  'autocommit',
]);
const MYSQL_INDEX_WORDS = new Set(['key', 'index', 'fulltext', 'spatial']);

/** Schemas whose one owner is converge itself: no application migration may touch them. */
export const CONVERGE_OWNED_SCHEMAS = new Set(['converge']);

/** A statement's target relation (`relation`, or `view` for CREATE VIEW) in converge's schema. */
function convergeRelation(node: Record<string, unknown>): AstHit | undefined {
  const rel = (node.relation ?? node.view) as Record<string, unknown> | undefined;
  const schema = rel && typeof rel.schemaname === 'string' ? rel.schemaname : undefined;
  if (!schema || !CONVERGE_OWNED_SCHEMAS.has(schema)) return undefined;
  return {
    message: `schema ${schema} is owned by converge's own migrations (run history); an application's migrations must not create, alter or write objects there`,
    location: num(rel!.location),
  };
}

const RELATION_STATEMENTS = [
  'CreateStmt',
  'AlterTableStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'IndexStmt',
  'CreateTrigStmt',
  'ViewStmt',
  'RenameStmt',
  'CreateTableAsStmt',
  'RangeVar',
];

export const AST_RULES: readonly AstRule[] = [
  ...RELATION_STATEMENTS.map((kind): AstRule => ({
    rule: 'foreign-schema',
    kind,
    check: (node) => (kind === 'RangeVar' ? convergeRelation({ relation: node }) : convergeRelation(node)),
  })),
  {
    rule: 'foreign-schema',
    kind: 'CreateSchemaStmt',
    check(node) {
      const schema = typeof node.schemaname === 'string' ? node.schemaname : undefined;
      if (!schema || !CONVERGE_OWNED_SCHEMAS.has(schema)) return undefined;
      return { message: `schema ${schema} is owned by converge's own migrations; an application must not create it` };
    },
  },
  {
    rule: 'mysql-type',
    kind: 'TypeName',
    check(node, ctx) {
      const names = stringList(node.names);
      if (names.length !== 1 || ctx.localTypes.has(names[0])) return undefined;
      // enum('a','b') has string modifiers: still MySQL's, just without a width to carry over.
      const instead = postgresTypeFor(names[0], integerModifiers(node.typmods) ?? []);
      if (instead === undefined) return undefined;
      return {
        message: `type ${names[0]} is MySQL's and does not exist in Postgres: use ${instead}`,
        location: num(node.location),
      };
    },
  },
  {
    rule: 'mysql-collate',
    kind: 'CollateClause',
    check(node) {
      const name = stringList(node.collname).pop() ?? '';
      if (!MYSQL_COLLATION.test(name)) return undefined;
      return {
        message: `collation ${name} is MySQL's: drop it, or use a Postgres collation such as "C" or an ICU one`,
        location: num(node.location),
      };
    },
  },
  {
    rule: 'mysql-set',
    kind: 'VariableSetStmt',
    check(node) {
      const name = typeof node.name === 'string' ? node.name : '';
      if (!MYSQL_SESSION_SETTINGS.has(name)) return undefined;
      return { message: `${name} is a MySQL session setting; Postgres has no such parameter: remove the SET` };
    },
  },
  {
    // MySQL's inline `KEY idx (col)` parses as a column named key of type idx.
    rule: 'mysql-inline-index',
    kind: 'ColumnDef',
    check(node) {
      const colname = typeof node.colname === 'string' ? node.colname : '';
      const typmods = (node.typeName as Record<string, unknown> | undefined)?.typmods;
      const allColumns =
        Array.isArray(typmods) && typmods.length > 0 && typmods.every((m) => isObject(m) && 'ColumnRef' in m);
      if (!MYSQL_INDEX_WORDS.has(colname) || !allColumns) return undefined;
      return {
        message: `inline ${colname.toUpperCase()} is MySQL's index syntax: use CREATE INDEX after the table`,
        location: num(node.location),
      };
    },
  },
];

/** Fields whose value is a bare TypeName or CollateClause, without the `{Kind: …}` wrapper. */
const BARE_FIELDS: Record<string, string> = {
  typeName: 'TypeName',
  argType: 'TypeName',
  datatype: 'TypeName',
  ofTypename: 'TypeName',
  returnType: 'TypeName',
  sourcetype: 'TypeName',
  storedtype: 'TypeName',
  targettype: 'TypeName',
  type_name: 'TypeName',
  collClause: 'CollateClause',
};

/** Calls `visit` for every node of the tree with its node type, in source order. */
export function walkAst(
  value: unknown,
  visit: (kind: string, node: Record<string, unknown>) => void,
  kind?: string,
): void {
  if (Array.isArray(value)) {
    for (const v of value) walkAst(v, visit);
    return;
  }
  if (!isObject(value)) return;
  if (kind) visit(kind, value);
  for (const [key, child] of Object.entries(value)) {
    if (/^[A-Z]/.test(key) && isObject(child)) walkAst(child, visit, key);
    else if (BARE_FIELDS[key] && isObject(child) && !Array.isArray(child)) walkAst(child, visit, BARE_FIELDS[key]);
    else walkAst(child, visit);
  }
}

/** Types a statement creates (enum, domain, composite, base), so later uses are not flagged. */
export function typesCreatedBy(stmt: Record<string, unknown>): string[] {
  const [kind, body] = Object.entries(stmt)[0] ?? [];
  if (!isObject(body)) return [];
  switch (kind) {
    case 'CreateEnumStmt':
      return stringList(body.typeName).slice(-1);
    case 'CreateDomainStmt':
      return stringList(body.domainname).slice(-1);
    case 'CompositeTypeStmt':
      return isObject(body.typevar) && typeof body.typevar.relname === 'string' ? [body.typevar.relname] : [];
    case 'DefineStmt':
      return body.kind === 'OBJECT_TYPE' ? stringList(body.defnames).slice(-1) : [];
    default:
      return [];
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** The `sval`s of a list of String nodes: qualified names and the like. */
function stringList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((n) => (isObject(n) && isObject(n.String) && typeof n.String.sval === 'string' ? n.String.sval : ''));
}

/** Integer type modifiers, [] when none, undefined when any is not an integer constant. */
function integerModifiers(v: unknown): number[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  for (const m of v) {
    const c = isObject(m) && isObject(m.A_Const) ? m.A_Const : undefined;
    // The JSON omits zero: {"ival": {}} is 0.
    if (!c || !isObject(c.ival)) return undefined;
    out.push(typeof c.ival.ival === 'number' ? c.ival.ival : 0);
  }
  return out;
}

import type { MysqlColumn } from '../../source/mysql/catalog';
import type { PgColumn } from '../../target/postgres/catalog';
import { DEFAULT_FALSE, DEFAULT_TRUE } from '../boolean-spellings';
import { mysqlEnumLabels, pgEnumLabels } from '../check/column-labels';
import type { ColumnSpecObject } from '../mapping-schema';
import { inferTransform, integerNarrowing, sourceKind, targetKind } from '../type-rules';
import { normalizeName } from './match-names';
import type { TodoKind } from './todo-kinds';

/** One point the draft cannot decide on a column. */
export interface ColumnTodo {
  kind: TodoKind;
  reason: string;
}

export interface InferredColumn {
  spec: ColumnSpecObject & { type: NonNullable<ColumnSpecObject['type']> };
  /** Why the draft cannot decide; each becomes a TODO comment on the column. */
  todos: ColumnTodo[];
  /** Facts worth a comment that need no decision. */
  notes: string[];
}

/**
 * The transform for one source column → target column pair, from the type rules; enum maps
 * pre-filled where labels match; a TODO wherever a person has to decide.
 */
export function inferColumn(s: MysqlColumn, t: PgColumn, targetLabels?: string[]): InferredColumn {
  const from = sourceKind(s);
  const to = targetKind(t);
  const todos: ColumnTodo[] = [];
  const todo = (kind: TodoKind, reason: string) => todos.push({ kind, reason });
  const notes: string[] = [];
  const labels = pgEnumLabels(t) ?? targetLabels;
  let type = labels && (from === 'enum' || from === 'string') ? 'enum' : inferTransform(from, to);
  if (!type) {
    todo('no-rule', `no rule converts MySQL ${s.columnType} to Postgres ${t.type}: choose a transform`);
    type = 'copy';
  }
  const spec: InferredColumn['spec'] = { type };
  if (type === 'uuid' && from === 'binary') {
    spec.uuidFormat = 'binary';
    todo('choice', `${s.columnType}: plain byte order (binary) or MySQL UUID_TO_BIN(u, 1) order (swapped)?`);
  }
  if (type === 'boolean' && (from === 'enum' || from === 'string')) {
    const src = mysqlEnumLabels(s.columnType);
    const odd = src?.filter((l) => !DEFAULT_TRUE.includes(l) && !DEFAULT_FALSE.includes(l));
    if (!src || odd!.length)
      todo(
        'choice',
        `which ${s.columnType} values mean true and false? set trueValues/falseValues${odd?.length ? ` (${odd.map((x) => JSON.stringify(x)).join(', ')} are neither by default)` : ''}`,
      );
  }
  if (type === 'enum') {
    const src = mysqlEnumLabels(s.columnType);
    const { map, unmatched } = matchLabels(src ?? labels!, labels!);
    spec.map = map;
    if (!src)
      todo(
        'enum-values-unknown',
        `source ${s.columnType} declares no labels: the map assumes the values are the target's labels; check with map check --probe`,
      );
    if (unmatched.length)
      todo(
        'label-unmatched',
        `source label(s) ${unmatched.map((x) => JSON.stringify(x)).join(', ')} match no target label (${labels!.map((x) => JSON.stringify(x)).join(', ')})`,
      );
  }
  if (type === 'latin1-bytes')
    todo(
      'choice',
      `MySQL ${s.columnType} into bytea: latin1-bytes if the text holds bytes as latin1 (a "binary string"), bytea for its UTF-8 bytes`,
    );
  if (type === 'simple-json') notes.push(`MySQL ${s.columnType} holding JSON text (TypeORM simple-json): validated`);
  if (type === 'simple-array')
    notes.push(`MySQL ${s.columnType} holding a comma list (TypeORM simple-array) → ${t.type}`);
  if (type === 'timestamp' && s.dataType === 'timestamp') notes.push('MySQL TIMESTAMP is exported in UTC');
  const narrow = integerNarrowing(s, t);
  if (narrow) todo('narrowing', narrow);
  if (
    (type === 'text' || type === 'copy') &&
    t.maxLength !== null &&
    (s.maxLength === null || s.maxLength > t.maxLength)
  ) {
    todo('narrowing', `MySQL ${s.columnType} can be longer than Postgres ${t.type}; measure with map check --probe`);
  }
  if (s.nullable && t.notNull)
    todo(
      'null-into-not-null',
      `MySQL allows NULL, Postgres ${t.name} is NOT NULL: declare nullTo: <value>, or list ${t.name} under dropRowsWithNull`,
    );
  return { spec, todos, notes };
}

/** Source label → target label: exact, then ignoring case and separators. */
export function matchLabels(source: string[], target: string[]): { map: Record<string, string>; unmatched: string[] } {
  const map: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const l of source) {
    const hit =
      target.find((x) => x === l) ??
      target.find((x) => x.toLowerCase() === l.toLowerCase()) ??
      target.find((x) => normalizeName(x) === normalizeName(l));
    if (hit !== undefined) map[l] = hit;
    else unmatched.push(l);
  }
  return { map, unmatched };
}

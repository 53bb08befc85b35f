import type { ProbeFacts } from '../check/mapping-problem';
import type { ProbedMapping } from '../check/probe-source';
import { PROBE_MAX_VALUES } from '../check/probe-source';
import { withTodos } from './draft-mapping';
import type { Draft, DraftColumn } from './draft-mapping';
import type { ColumnTodo } from './infer-column';
import { matchLabels } from './infer-column';
import { unreadBooleans } from '../check/check-column';
import { pgIntRange } from '../type-rules';
import { proposeTypeDefaults, TypeDefaultProposal } from './propose-type-defaults';

/** The draft in the shape `probeSource` reads, so `map init --probe` asks the same questions as `map check --probe`. */
export function draftAsProbed(draft: Draft): ProbedMapping {
  return {
    tables: new Map(
      draft.tables.map((t) => [
        t.source,
        {
          source: t.source,
          target: t.target,
          skip: false,
          columns: new Map(
            t.columns.map((c) => [
              c.source,
              {
                source: c.source,
                to: c.to,
                drop: false,
                type: c.spec.type,
                uuidFormat: c.spec.uuidFormat,
                emptyToNull: c.spec.emptyToNull,
                zeroDate: c.spec.zeroDate,
                invalid: c.spec.invalid,
                map: c.spec.map,
              },
            ]),
          ),
        },
      ]),
    ),
  };
}

/**
 * `map init --probe`: settles with the source data what the catalogs left open, and raises what
 * only the data shows. A TODO is dropped only when the data proves it moot (no NULL, the longest
 * value fits, every value found has a label); a lossy choice ('' → NULL, bytes in text) stays a
 * TODO for a person, with the count found. Pure: the facts come from `probeSource`.
 */
export function refineDraft(draft: Draft, facts: ProbeFacts): Draft {
  const typeDefaults = proposeTypeDefaults(draft.tables, facts);
  const settled = (key: string, what: TypeDefaultProposal['settles']) =>
    typeDefaults.find((d) => d.settles === what && d.covers.includes(key));
  const tables = draft.tables.map((t) => ({
    ...t,
    columns: t.columns.map((c) => refineColumn(c, `${t.source}.${c.source}`, facts, settled)),
    tableTodos: [
      ...t.tableTodos,
      ...(facts.duplicates.get(t.source) ?? []).map((d) => ({
        kind: 'unique-conflict' as const,
        reason: `--probe found ${d.groups} key(s) more than one source row holds, which target unique index ${d.index} (${d.columns.join(', ')}) refuses, such as (${d.sample}): declare unique: [{ columns: [${d.columns.join(', ')}], policy: fail | keep-first | keep-newest }], or fix the source`,
      })),
    ],
  }));
  return withTodos({ ...draft, tables, typeDefaults });
}

type Settled = (key: string, what: TypeDefaultProposal['settles']) => TypeDefaultProposal | undefined;

function refineColumn(c: DraftColumn, key: string, facts: ProbeFacts, settled: Settled): DraftColumn {
  const todos: ColumnTodo[] = [];
  const notes = [...c.notes];
  const spec = { ...c.spec };
  for (const todo of c.todos) {
    if (todo.kind === 'null-into-not-null' && facts.nulls.get(key) === 0) {
      notes.push(`--probe found no NULL; a NULL written before the cut-over would stop the load`);
    } else if (todo.kind === 'narrowing' && facts.longest.has(key) && c.target.maxLength !== null) {
      const longest = facts.longest.get(key)!;
      if (longest <= c.target.maxLength)
        notes.push(`--probe: longest value ${longest} characters, fits ${c.target.type}`);
      else
        todos.push({
          kind: 'narrowing',
          reason: `--probe found a value of ${longest} characters; Postgres ${c.target.type} holds ${c.target.maxLength}: widen the target, or trim with replace`,
        });
    } else if (todo.kind === 'narrowing' && facts.ranges.has(key)) {
      const range = facts.ranges.get(key);
      const fits = pgIntRange(c.target.type);
      if (!range) notes.push(`--probe: no value to check (all NULL or no rows)`);
      else if (fits && range[0] >= fits[0] && range[1] <= fits[1])
        notes.push(`--probe: values ${range[0]}..${range[1]} fit ${c.target.type}`);
      else
        todos.push({
          kind: 'narrowing',
          reason: `--probe found values ${range[0]}..${range[1]}; Postgres ${c.target.type} holds ${fits ? `${fits[0]}..${fits[1]}` : 'less'}: widen the target type`,
        });
    } else if (todo.kind === 'choice' && c.spec.type === 'boolean' && facts.values.has(key)) {
      // A VARCHAR boolean: the values found decide (any the default spellings miss are raised below).
      if (!unreadBooleans(facts.values.get(key)!, spec).length)
        notes.push(
          `--probe: every value found (${facts.values
            .get(key)!
            .map((x) => JSON.stringify(x))
            .join(', ')}) is a default true or false spelling`,
        );
    } else if (todo.kind === 'enum-values-unknown' && facts.values.has(key) && c.labels) {
      const values = facts.values.get(key)!;
      if (values.length > PROBE_MAX_VALUES) {
        todos.push({
          kind: 'enum-values-unknown',
          reason: `--probe found more than ${PROBE_MAX_VALUES} distinct values: not an enum? choose a transform`,
        });
        continue;
      }
      const { map, unmatched } = matchLabels([...values].sort(), c.labels);
      spec.map = map;
      notes.push(`map from the ${values.length} distinct value(s) --probe found`);
      if (unmatched.length)
        todos.push({
          kind: 'label-unmatched',
          reason: `value(s) ${unmatched.map((x) => JSON.stringify(x)).join(', ')} found by --probe match no target label (${c.labels.map((x) => JSON.stringify(x)).join(', ')})`,
        });
    } else todos.push(todo);
  }
  const byDefault = (what: TypeDefaultProposal['settles'], found: string) => {
    const d = settled(key, what);
    if (d) notes.push(`--probe found ${found}: the proposed defaults.${d.type} (TODO above) decides`);
    return !!d;
  };
  const unread = spec.type === 'boolean' && facts.values.has(key) ? unreadBooleans(facts.values.get(key)!, spec) : [];
  if (unread.length && !byDefault('boolean-spellings', `value(s) ${unread.join(', ')}`))
    todos.push({
      kind: 'value-invalid',
      reason: `--probe found value(s) ${unread.map((x) => JSON.stringify(x)).join(', ')} that are neither true nor false: name them in trueValues/falseValues, or fix the source`,
    });
  const rejected = facts.rejects.get(key);
  if (rejected)
    todos.push({
      kind: 'value-invalid',
      reason: `--probe found ${rejected.count} value(s) the ${spec.type} transform rejects, such as ${JSON.stringify(rejected.sample)}: fix the source, or choose another transform`,
    });
  const zeros = facts.zeroDates.get(key) ?? 0;
  if (zeros > 0 && !byDefault('zero-dates', `${zeros} zero date(s)`))
    todos.push({
      kind: 'value-invalid',
      reason: `--probe found ${zeros} zero date(s): declare zeroDate: null or a replacement value (counted), or fix the source`,
    });
  const badDates = facts.badDates.get(key) ?? 0;
  if (badDates > 0)
    todos.push({
      kind: 'value-invalid',
      reason: `--probe found ${badDates} date(s) no calendar has (such as February 30): fix them in the source`,
    });
  const empties = facts.empties.get(key) ?? 0;
  if (empties > 0 && !byDefault('empty-uuids', `${empties} ''`))
    todos.push({
      kind: 'value-invalid',
      reason: `--probe found ${empties} row(s) holding '' where a uuid is read: declare emptyToNull: true (counted), or fix the source`,
    });
  const nuls = facts.nuls.get(key) ?? 0;
  if (nuls > 0) {
    const fix = c.target.type === 'bytea' ? 'latin1-bytes' : 'latin1-base64';
    todos.push({
      kind: 'value-invalid',
      reason: `--probe found ${nuls} value(s) holding U+0000, which Postgres text cannot store: bytes kept in a text column? use type ${fix}, or fix the source`,
    });
  }
  return { ...c, spec, todos, notes };
}

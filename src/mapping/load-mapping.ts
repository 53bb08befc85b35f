import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode, Document } from 'yaml';
import { yamlValue } from '../core/yaml-value';
import { z } from 'zod';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import {
  ColumnSpecObject,
  LookupSpec,
  mappingFile,
  MappingFile,
  TableSpecObject,
  TRANSFORM_TYPES,
  TransformType,
  TypeDefault,
} from './mapping-schema';

/** A column rule with where it was written, so every later error can point at the line. */
export interface ColumnRule extends ColumnSpecObject {
  source: string;
  to: string;
  drop: boolean;
  at: Where;
  /** Settings this column takes from defaults.<its type> rather than its own line. */
  defaulted?: string[];
}

export interface TableRule {
  source: string;
  target: string;
  skip: boolean;
  columns: Map<string, ColumnRule>;
  drop: Set<string>;
  add: NonNullable<TableSpecObject['add']>;
  unique: NonNullable<TableSpecObject['unique']>;
  existing?: TableSpecObject['existing'];
  dropRowsWithNull: string[];
  /** Declared: a migration-tracking table copied anyway (map check refuses one otherwise). */
  copyMigrationHistory?: boolean;
  at: Where;
  /** Where each `add` entry was written. */
  addAt?: Record<string, Where>;
  /** Where each `unique` entry was written (same order as `unique`). */
  uniqueAt?: Where[];
}

export interface Where {
  file: string;
  line: number;
  key: string;
}

export interface Mapping {
  dir: string;
  timezone: string;
  /** Mapping-wide rules per transform type (defaults.<type>), already applied to the columns. */
  typeDefaults: Map<TransformType, TypeDefault & { at: Where }>;
  tables: Map<string, TableRule>;
  lookups: Map<string, LookupSpec & { at: Where }>;
}

/** Loads every *.yaml / *.yml file of a mapping folder (or one file) and merges them. */
export async function loadMapping(dirOrFile: string): Promise<Mapping> {
  const stat = await fsp.stat(dirOrFile).catch((e: NodeJS.ErrnoException) => {
    // Only a mapping that is not there "does not exist"; an unreadable one says why.
    if (e?.code === 'ENOENT' || e?.code === 'ENOTDIR') return undefined;
    throw ioError(e, `cannot read mapping ${dirOrFile}`, dirOrFile);
  });
  if (!stat)
    throw new ConvergeError('MAPPING_INVALID', `mapping ${dirOrFile} does not exist`, {
      file: dirOrFile,
      stage: 'config',
    });
  const files = stat.isDirectory()
    ? (await fsp.readdir(dirOrFile))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(dirOrFile, f))
    : [dirOrFile];
  if (files.length === 0)
    throw new ConvergeError('MAPPING_INVALID', `mapping folder ${dirOrFile} holds no .yaml file`, {
      file: dirOrFile,
      stage: 'config',
    });
  const mapping: Mapping = {
    dir: stat.isDirectory() ? dirOrFile : path.dirname(dirOrFile),
    timezone: 'UTC',
    typeDefaults: new Map(),
    tables: new Map(),
    lookups: new Map(),
  };
  let tzFrom: Where | undefined;
  for (const file of files) {
    const text = await fsp.readFile(file, 'utf8');
    const { data, whereOf } = parseMappingText(text, file);
    if (data.defaults?.timezone) {
      if (tzFrom && mapping.timezone !== data.defaults.timezone) {
        throw new ConvergeError(
          'MAPPING_INVALID',
          `defaults.timezone is "${data.defaults.timezone}" here but "${mapping.timezone}" in ${tzFrom.file}:${tzFrom.line}`,
          { ...whereOf(['defaults', 'timezone']), stage: 'config' },
        );
      }
      checkZone(data.defaults.timezone, whereOf(['defaults', 'timezone']));
      mapping.timezone = data.defaults.timezone;
      tzFrom = whereOf(['defaults', 'timezone']);
    }
    for (const type of TRANSFORM_TYPES) {
      const rule = data.defaults?.[type];
      if (!rule) continue;
      const at = whereOf(['defaults', type]);
      const first = mapping.typeDefaults.get(type);
      if (first)
        throw new ConvergeError(
          'MAPPING_INVALID',
          `defaults.${type} is declared twice (first at ${first.at.file}:${first.at.line})`,
          { ...at, stage: 'config' },
        );
      mapping.typeDefaults.set(type, { ...rule, at });
    }
    for (const [name, spec] of Object.entries(data.lookups ?? {})) {
      if (mapping.lookups.has(name))
        throw dup('lookup', name, whereOf(['lookups', name]), mapping.lookups.get(name)!.at);
      mapping.lookups.set(name, { ...spec, at: whereOf(['lookups', name]) });
    }
    for (const [name, spec] of Object.entries(data.tables)) {
      const at = whereOf(['tables', name]);
      if (mapping.tables.has(name)) throw dup('table', name, at, mapping.tables.get(name)!.at);
      mapping.tables.set(name, toTableRule(name, spec, at, whereOf));
    }
  }
  // Cross-references inside the mapping itself.
  for (const t of mapping.tables.values()) {
    for (const c of t.columns.values()) {
      applyTypeDefault(c, mapping.typeDefaults);
      if (c.remap && !mapping.lookups.has(c.remap)) {
        throw new ConvergeError(
          'MAPPING_INVALID',
          `remap names lookup "${c.remap}", which is not defined under lookups (defined: ${[...mapping.lookups.keys()].join(', ') || 'none'})`,
          { ...c.at, stage: 'config' },
        );
      }
      if (c.timezone) checkZone(c.timezone, c.at);
      if (c.type === 'enum' && !c.map)
        throw new ConvergeError('MAPPING_INVALID', 'an enum column needs a `map` of source label → target label', {
          ...c.at,
          stage: 'config',
        });
    }
  }
  return mapping;
}

type WhereOf = (p: Array<string | number>) => Where;

/** Parses one YAML text; syntax and validation errors name file, line and key. */
export function parseMappingText(text: string, file: string): { data: MappingFile; whereOf: WhereOf } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = lineCounter.linePos(e.pos[0]).line;
    throw new ConvergeError('MAPPING_INVALID', `YAML syntax: ${e.message.split('\n')[0]}`, {
      file,
      line,
      stage: 'config',
    });
  }
  const whereOf: WhereOf = (p) => ({ file, line: lineOf(doc, lineCounter, p), key: p.join('.') });
  const parsed = mappingFile.safeParse(yamlValue(doc, file, 'MAPPING_INVALID') ?? {}, { reportInput: true });
  if (!parsed.success) {
    const { issue, path: p } = deepestIssue(parsed.error.issues[0], []);
    const keyPath = issue.code === 'unrecognized_keys' ? [...p, issue.keys[0]] : p;
    throw new ConvergeError('MAPPING_INVALID', describeIssue(issue), { ...whereOf(keyPath), stage: 'config' });
  }
  return { data: parsed.data, whereOf };
}

function lineOf(doc: Document, lc: LineCounter, p: Array<string | number>): number {
  // Walk down as far as the path exists; the deepest node found is the best line we have.
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true);
    if (isNode(node) && node.range) {
      // For a key whose value exists, point at the key's line (the pair), not the value's.
      const pair = n > 0 ? findPairKeyRange(doc, p.slice(0, n)) : undefined;
      return lc.linePos(pair ?? node.range[0]).line;
    }
    if (n > 0) {
      const keyPos = findPairKeyRange(doc, p.slice(0, n));
      if (keyPos !== undefined) return lc.linePos(keyPos).line;
    }
  }
  return 1;
}

function findPairKeyRange(doc: Document, p: Array<string | number>): number | undefined {
  const parent = p.length > 1 ? doc.getIn(p.slice(0, -1), true) : doc.contents;
  const items = (parent as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | null)
    ?.items;
  if (!items) return undefined;
  const last = p[p.length - 1];
  for (const it of items) if (it.key && it.key.value === last && it.key.range) return it.key.range[0];
  return undefined;
}

type PathPart = string | number;

/**
 * A union (transform name | "drop" | rule object) fails as a whole; the useful message is the
 * branch that got furthest into the value, so report its deepest issue and its full path.
 */
function deepestIssue(issue: z.core.$ZodIssue, base: PathPart[]): { issue: z.core.$ZodIssue; path: PathPart[] } {
  const here = [...base, ...issue.path.filter((x): x is PathPart => typeof x !== 'symbol')];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return { issue, path: here };
  let best: { issue: z.core.$ZodIssue; path: PathPart[] } | undefined;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const d = deepestIssue(sub, here);
      const better =
        !best ||
        d.path.length > best.path.length ||
        (d.path.length === best.path.length && best.issue.code === 'invalid_type' && d.issue.code !== 'invalid_type');
      if (better) best = d;
    }
  }
  return best ?? { issue, path: here };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key "${issue.keys[0]}"`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}, found ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'list' : typeof issue.input}`;
    case 'invalid_union':
      return 'expected a transform name (uuid, boolean, json, …), "drop", or a column rule object; see docs/mapping.md';
    default:
      return issue.message;
  }
}

function toTableRule(name: string, spec: MappingFile['tables'][string], at: Where, whereOf: WhereOf): TableRule {
  if (spec === 'skip' || spec.skip) {
    return {
      source: name,
      target: name,
      skip: true,
      columns: new Map(),
      drop: new Set(),
      add: {},
      unique: [],
      dropRowsWithNull: [],
      at,
    };
  }
  const columns = new Map<string, ColumnRule>();
  for (const [col, c] of Object.entries(spec.columns)) {
    const cat = whereOf(['tables', name, 'columns', col]);
    if (c === 'drop') columns.set(col, { source: col, to: col, drop: true, at: cat });
    else if (typeof c === 'string') columns.set(col, { source: col, to: col, type: c, drop: false, at: cat });
    else columns.set(col, { ...c, source: col, to: c.to ?? col, drop: false, at: cat });
  }
  const drop = new Set(spec.drop ?? []);
  for (const [col, c] of columns) if (c.drop) drop.add(col);
  for (const d of spec.drop ?? []) {
    if (columns.has(d) && !columns.get(d)!.drop) {
      throw new ConvergeError('MAPPING_INVALID', `column "${d}" is both mapped and dropped`, {
        ...whereOf(['tables', name, 'drop']),
        stage: 'config',
      });
    }
  }
  return {
    source: name,
    target: spec.target ?? name,
    skip: false,
    columns,
    drop,
    add: spec.add ?? {},
    unique: spec.unique ?? [],
    existing: spec.existing,
    dropRowsWithNull: spec.dropRowsWithNull ?? [],
    copyMigrationHistory: spec.copyMigrationHistory,
    at,
    addAt: Object.fromEntries(Object.keys(spec.add ?? {}).map((k) => [k, whereOf(['tables', name, 'add', k])])),
    uniqueAt: (spec.unique ?? []).map((_, i) => whereOf(['tables', name, 'unique', i])),
  };
}

/**
 * Fills what a column leaves unset from defaults.<its type>, so every later stage (check,
 * transform and its ledger, verify) sees one rule per column and counts it like any other.
 */
function applyTypeDefault(c: ColumnRule, defaults: Mapping['typeDefaults']): void {
  const d = c.drop ? undefined : defaults.get(c.type ?? 'copy');
  if (!d) return;
  const target = c as unknown as Record<string, unknown>;
  const taken: string[] = [];
  for (const [k, v] of Object.entries(d))
    if (k !== 'at' && target[k] === undefined) {
      target[k] = v;
      taken.push(k);
    }
  if (taken.length) c.defaulted = taken;
}

function dup(kind: string, name: string, at: Where, first: Where): ConvergeError {
  return new ConvergeError(
    'MAPPING_INVALID',
    `${kind} "${name}" is mapped twice (first at ${first.file}:${first.line})`,
    { ...at, stage: 'config' },
  );
}

function checkZone(zone: string, at: Where): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    // Intl throws a RangeError for an unknown zone, and nothing else here can fail.
    throw new ConvergeError(
      'MAPPING_INVALID',
      `unknown time zone "${zone}" (use an IANA name such as UTC or Europe/Amsterdam)`,
      { ...at, stage: 'config' },
    );
  }
}

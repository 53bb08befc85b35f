import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { Pipeline, pipelinePath } from '../../src/pipeline/load-pipeline';
import { loadAnyPipeline } from '../../fixtures/fixture-pipelines';
import { RUN_SCHEMA } from '../../src/run/run-recorder';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { seedFixtureSource } from '../helpers/fixture-seeders';
import { CliResult, runCli } from '../helpers/run-cli';

/**
 * One engine, two paths: `converge migrate --keep-files` (one streaming pass) and the staged
 * `export` → `transform` → `import` must produce the same transformed CSV files, byte for byte,
 * and the same target: every table's rows and every sequence. One seeded source per fixture
 * pipeline; both targets are copies of one database with the target schema applied, so whatever
 * the schema's migrations wrote (tracking rows, seeded singletons) is the same on both sides.
 */
const PIPELINES: Array<{ name: string; scale: number }> = [
  { name: 'kratos', scale: 30 },
  { name: 'alkemio', scale: 15 },
  { name: 'erp', scale: 2 },
  { name: 'audit', scale: 2 },
  { name: 'bench', scale: 1 },
];

/**
 * The only thing not compared: converge's own run history on the target (run ids, timestamps,
 * durations), which differs between any two runs by design. Named here, never filtered silently.
 */
const NOT_COMPARED_SCHEMAS = [RUN_SCHEMA];

interface Side {
  db: TestDb;
  work: string;
}

interface World {
  pipeline: Pipeline;
  source: TestDb;
  a: Side;
  b: Side;
  runs: Record<string, CliResult>;
  cleanup(): Promise<void>;
}

async function openWorld(name: string, scale: number): Promise<World> {
  const pipeline = await loadAnyPipeline(name);
  const drops: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const d of drops.reverse()) await d().catch(() => undefined);
  };
  try {
    const source = await createMysqlDb(name);
    drops.push(() => source.drop());
    const template = await createPgDb(`${name}_tpl`);
    drops.push(() => template.drop());
    await Promise.all([
      seedFixtureSource(pipeline, parseConnectionUrl(source.url, 'mysql', 'test source'), scale),
      applyMigrations({
        dialect: 'postgres',
        connection: parseConnectionUrl(template.url, 'postgres', 'test target'),
        dir: pipelinePath(pipeline, pipeline.target.migrations!),
        tracking: pipeline.target.tracking!,
      }),
    ]);
    const side = async (tag: string): Promise<Side> => {
      const db = await createPgDb(`${name}_${tag}`, template.name);
      drops.push(() => db.drop());
      const work = await fsp.mkdtemp(path.join(os.tmpdir(), `converge-agree-${name}-${tag}-`));
      drops.push(() => fsp.rm(work, { recursive: true, force: true }));
      return { db, work };
    };
    const a = await side('a');
    const b = await side('b');
    return { pipeline, source, a, b, runs: {}, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function args(w: World, s: Side): string[] {
  return ['--pipeline', w.pipeline.file, '--source', w.source.url, '--target', s.db.url, '--work-dir', s.work];
}

/** Both paths at once (they share only the source, read from a snapshot each). */
async function runBothPaths(w: World): Promise<void> {
  const staged = async () => {
    for (const cmd of ['export', 'transform', 'import']) {
      w.runs[cmd] = await runCli([cmd, ...args(w, w.b)]);
      if (w.runs[cmd].code !== 0) return;
    }
  };
  const fused = async () => {
    w.runs.migrate = await runCli(['migrate', '--keep-files', ...args(w, w.a)]);
  };
  await Promise.all([fused(), staged()]);
}

function runReport(r: CliResult | undefined): { exit: number | undefined; stderr: string } {
  return { exit: r?.code, stderr: (r?.stderr ?? 'did not run').slice(-3000) };
}

interface TransformManifest {
  targetSchema?: string;
  tables: Record<
    string,
    { file: string; rows: number; rowsIn?: number; sha256: string; columns: Array<{ name: string }> }
  >;
}

async function readTransformManifest(work: string): Promise<TransformManifest> {
  return JSON.parse(await fsp.readFile(path.join(work, 'transform', 'manifest.json'), 'utf8')) as TransformManifest;
}

async function csvFiles(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((f) => f.endsWith('.csv')).sort();
}

/** Undefined when equal; else the first differing line (1-based) with both lines, cut to a readable length. */
export function firstDifference(
  a: Buffer,
  b: Buffer,
): { line: number; migrate: string | undefined; staged: string | undefined } | undefined {
  if (a.equals(b)) return undefined;
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a[i] === b[i]) i++;
  const start = a.lastIndexOf(0x0a, i - 1) + 1;
  let line = 1;
  for (let k = a.indexOf(0x0a); k !== -1 && k < start; k = a.indexOf(0x0a, k + 1)) line++;
  const lineAt = (buf: Buffer) => {
    if (start >= buf.length) return undefined;
    const end = buf.indexOf(0x0a, start);
    const text = buf.subarray(start, end === -1 ? buf.length : end).toString('utf8');
    return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text;
  };
  return { line, migrate: lineAt(a), staged: lineAt(b) };
}

interface TableDigest {
  rows: number;
  md5: string;
}

/** Every table outside the system schemas and NOT_COMPARED_SCHEMAS: rows and a digest of its sorted row texts. */
async function targetDigest(url: string): Promise<{
  tables: Map<string, TableDigest>;
  sequences: Map<string, string | null>;
}> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query("SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD'");
    const { rows: rels } = await pg.query(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
          AND n.nspname <> ALL ($1) ORDER BY 1, 2`,
      [NOT_COMPARED_SCHEMAS],
    );
    const tables = new Map<string, TableDigest>();
    for (const r of rels) {
      const q = `"${r.schema}"."${r.name}"`;
      const { rows } = await pg.query(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE "C"), '')) AS md5
           FROM (SELECT t::text AS r FROM ${q} t) s`,
      );
      tables.set(`${r.schema}.${r.name}`, rows[0]);
    }
    const { rows: seqs } = await pg.query(
      `SELECT schemaname || '.' || sequencename AS name, last_value::text AS value FROM pg_sequences
        WHERE schemaname <> ALL ($1) ORDER BY 1`,
      [NOT_COMPARED_SCHEMAS],
    );
    return { tables, sequences: new Map(seqs.map((s) => [s.name, s.value])) };
  } finally {
    await pg.end();
  }
}

/** The first row (in the digest's order) where two targets' copies of a table differ. */
async function firstRowDifference(table: string, urlA: string, urlB: string): Promise<unknown> {
  const rowsOf = async (url: string) => {
    const pg = new Client({ connectionString: url });
    await pg.connect();
    try {
      await pg.query("SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD'");
      const [schema, name] = table.split('.');
      const { rows } = await pg.query(`SELECT t::text AS r FROM "${schema}"."${name}" t ORDER BY t::text COLLATE "C"`);
      return rows.map((x) => x.r as string);
    } finally {
      await pg.end();
    }
  };
  const [a, b] = await Promise.all([rowsOf(urlA), rowsOf(urlB)]);
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return { table, sortedRow: i + 1, migrate: a[i], staged: b[i] };
  return { table, note: 'same sorted rows on a second read' };
}

describe.each(PIPELINES)('$name: migrate and export → transform → import agree', ({ name, scale }) => {
  let w: World;
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    w = await openWorld(name, scale);
    await runBothPaths(w);
  }, 170_000);

  afterAll(async () => {
    await w?.cleanup();
    console.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('both paths succeed', () => {
    expect(runReport(w.runs.migrate)).toEqual({ exit: 0, stderr: expect.any(String) });
    for (const cmd of ['export', 'transform', 'import'])
      expect({ cmd, ...runReport(w.runs[cmd]) }).toEqual({ cmd, exit: 0, stderr: expect.any(String) });
  });

  it('write the same transformed CSV files, byte for byte', async () => {
    const dirA = path.join(w.a.work, 'transform');
    const dirB = path.join(w.b.work, 'transform');
    const files = await csvFiles(dirA);
    expect(files).toEqual(await csvFiles(dirB));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const diff = firstDifference(await fsp.readFile(path.join(dirA, f)), await fsp.readFile(path.join(dirB, f)));
      expect({ table: f.replace(/\.csv$/, ''), diff }).toEqual({ table: f.replace(/\.csv$/, ''), diff: undefined });
    }
  });

  it('leave the same rows in every target table, and the same sequence values', async () => {
    const [a, b] = await Promise.all([targetDigest(w.a.db.url), targetDigest(w.b.db.url)]);
    expect([...a.tables.keys()]).toEqual([...b.tables.keys()]);
    expect([...a.tables.values()].some((t) => t.rows > 0)).toBe(true);
    const differing = [...a.tables.keys()].filter(
      (t) => a.tables.get(t)!.rows !== b.tables.get(t)!.rows || a.tables.get(t)!.md5 !== b.tables.get(t)!.md5,
    );
    const details = [];
    for (const t of differing.slice(0, 5)) details.push(await firstRowDifference(t, w.a.db.url, w.b.db.url));
    expect({ differing, details }).toEqual({ differing: [], details: [] });
    expect(Object.fromEntries(a.sequences)).toEqual(Object.fromEntries(b.sequences));
  });

  it('describe the same tables in their transform manifests, and every one reached a compared table', async () => {
    const manifests = await Promise.all([w.a, w.b].map((s) => readTransformManifest(s.work)));
    const [a, b] = manifests.map((m) =>
      Object.fromEntries(
        Object.entries(m.tables).map(([k, t]) => [
          k,
          { file: t.file, rows: t.rows, rowsIn: t.rowsIn, sha256: t.sha256, columns: t.columns.map((c) => c.name) },
        ]),
      ),
    );
    expect(a).toEqual(b);
    expect(Object.keys(a).length).toBeGreaterThan(0);
    // A table both paths left empty proves nothing: each manifest table must be a compared table
    // holding at least the rows its file carried (more where an `existing:` policy kept seeded rows).
    const { tables } = await targetDigest(w.b.db.url);
    for (const [key, t] of Object.entries(manifests[1].tables)) {
      const table = key.includes('.') ? key : `${manifests[1].targetSchema ?? 'public'}.${key}`;
      const held = tables.get(table)?.rows;
      expect({ table, held: held !== undefined && held >= t.rows }).toEqual({ table, held: true });
    }
  });
});

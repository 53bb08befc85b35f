import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseDocument } from 'yaml';
import { createMysqlDb, createPgDb, TestDb } from './databases';
import { freePort } from './private-servers';
import { CliResult, runCli } from './run-cli';
import { ArrangedFault, CaseContext, CorpusCase, migrateRun } from './corpus-case';

const BIN = path.resolve(__dirname, '../../bin/converge.js');
const SOURCE_SQL = path.resolve(__dirname, '../corpus/source.sql');
/** The volume database's tables (seedVolume). */
const VOLUME_TABLES = ['volume_rows'];

/**
 * What the corpus cases share: one source database holding every bad value (exported once),
 * one holding volume for the cases that freeze a path mid-stream, one target database (a
 * schema per case), a closed port and a silent server on loopback.
 */
export interface CorpusWorld {
  my: TestDb;
  volume: TestDb;
  pg: TestDb;
  root: string;
  baseExport: string;
  sourceTables: string[];
  closedPort: number;
  silentPort: number;
  close(): Promise<void>;
}

export async function openCorpusWorld(): Promise<CorpusWorld> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-corpus-'));
  const [my, volume, pg] = await Promise.all([
    createMysqlDb('corpus'),
    createMysqlDb('corpus_volume'),
    createPgDb('corpus'),
  ]);
  const held: net.Socket[] = [];
  const silent = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const world: CorpusWorld = {
    my,
    volume,
    pg,
    root,
    baseExport: path.join(root, 'base', 'work', 'export'),
    sourceTables: [],
    closedPort: await freePort(),
    silentPort: (silent.address() as net.AddressInfo).port,
    async close() {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
      await Promise.all([my, volume, pg].map((d) => d.drop().catch(() => undefined)));
      await fsp.rm(root, { recursive: true, force: true });
    },
  };
  try {
    const conn = await mysql.createConnection({ uri: my.url, multipleStatements: true });
    try {
      await conn.query("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
      await conn.query(await fsp.readFile(SOURCE_SQL, 'utf8'));
    } finally {
      await conn.end();
    }
    await seedVolume(volume.url);
    const base = path.join(root, 'base');
    await fsp.mkdir(base, { recursive: true });
    const pipelineFile = path.join(base, 'pipeline.yaml');
    await fsp.writeFile(pipelineFile, pipelineYaml(my.name, pg.name, 'public'));
    const r = await runCli([
      'export',
      '--pipeline',
      pipelineFile,
      '--source',
      my.url,
      '--target',
      pg.url,
      '--work-dir',
      path.join(base, 'work'),
    ]);
    if (r.code !== 0) throw new Error(`corpus base export failed (${r.code}): ${r.stderr}`);
    const manifest = JSON.parse(await fsp.readFile(path.join(world.baseExport, 'manifest.json'), 'utf8')) as {
      tables: Record<string, unknown>;
    };
    world.sourceTables = Object.keys(manifest.tables).sort();
  } catch (e) {
    await world.close();
    throw e;
  }
  return world;
}

/** 40 000 rows of 200 bytes: more than loopback socket buffers hold, so a frozen path stops the stream mid-table. */
async function seedVolume(url: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: url });
  try {
    await conn.query('CREATE TABLE volume_rows (id INT NOT NULL PRIMARY KEY, note VARCHAR(255))');
    for (let i = 0; i < 40_000; i += 10_000)
      await conn.query('INSERT INTO volume_rows VALUES ?', [
        Array.from({ length: 10_000 }, (_, k) => [i + k + 1, `row ${i + k + 1} `.padEnd(200, 'x')]),
      ]);
  } finally {
    await conn.end();
  }
}

export function pipelineYaml(source: string, target: string, schema: string): string {
  return `name: corpus\nsource: { database: ${source} }\ntarget: { database: ${target}, schema: ${schema}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`;
}

/** A case's own directory, schema and files, set up from the shared world. */
export async function prepareCase(world: CorpusWorld, c: CorpusCase, index: number, suffix = ''): Promise<CaseContext> {
  const slug = `c${String(index).padStart(2, '0')}_${c.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40)}${suffix}`;
  const dir = path.join(world.root, 'cases', slug);
  const work = path.join(dir, 'work');
  await fsp.mkdir(path.join(dir, 'mapping'), { recursive: true });
  const ctx: CaseContext = {
    slug,
    dir,
    work,
    exportDir: path.join(work, 'export'),
    transformDir: path.join(work, 'transform'),
    mappingFile: path.join(dir, 'mapping', 'mapping.yaml'),
    pipelineFile: path.join(dir, 'pipeline.yaml'),
    schema: slug,
    sourceUrl: c.source === 'volume' ? world.volume.url : world.my.url,
    targetUrl: world.pg.url,
    closedPort: world.closedPort,
    silentPort: world.silentPort,
    pg: (sql) => pgQuery(world.pg.url, slug, sql),
  };
  await pgQuery(world.pg.url, undefined, `CREATE SCHEMA "${slug}"`);
  if (c.pg) await ctx.pg(c.pg);
  await fsp.writeFile(
    ctx.pipelineFile,
    c.pipeline
      ? c.pipeline(ctx)
      : pipelineYaml(c.source === 'volume' ? world.volume.name : world.my.name, world.pg.name, slug),
  );
  const mapping = c.mapping ?? 'version: 1\ntables: {}\n';
  await fsp.writeFile(ctx.mappingFile, mapping);
  if (c.skipOthers !== false) {
    const named = mappedTables(mapping);
    const others = (c.source === 'volume' ? VOLUME_TABLES : world.sourceTables).filter((t) => !named.has(t));
    if (others.length)
      await fsp.writeFile(
        path.join(dir, 'mapping', 'zz-skip.yaml'),
        `tables:\n${others.map((t) => `  ${t}: skip\n`).join('')}`,
      );
  }
  if (c.from === 'export' || c.from === 'transform') {
    await fsp.mkdir(work, { recursive: true, mode: 0o700 });
    if (c.source === 'volume') {
      const r = await runCli(['export', ...commonArgs(ctx)]);
      if (r.code !== 0) throw new Error(`set-up export of case "${c.name}" failed (${r.code}): ${r.stderr}`);
    } else await fsp.cp(world.baseExport, ctx.exportDir, { recursive: true });
  }
  if (c.from === 'transform') {
    const r = await runCli(['transform', ...commonArgs(ctx)]);
    if (r.code !== 0) throw new Error(`set-up transform of case "${c.name}" failed (${r.code}): ${r.stderr}`);
  }
  await c.tamper?.(ctx);
  return ctx;
}

/** The case's migrate run set up: its own directory and schema, nothing exported (migrate reads the source itself). */
export function prepareMigrateCase(world: CorpusWorld, c: CorpusCase, index: number): Promise<CaseContext> {
  const m = migrateRun(c)!;
  return prepareCase(
    world,
    { ...c, from: 'none', mapping: m.mapping ?? c.mapping, pg: m.pg ?? c.pg, tamper: m.tamper ?? c.tamper },
    index,
    '_m',
  );
}

/** migrate's argv for a case: its own, or the case's with the command word replaced; always --keep-files. */
export function migrateArgs(c: CorpusCase, ctx: CaseContext): string[] {
  const m = migrateRun(c)!;
  const args = m.run
    ? m.run(ctx)
    : typeof c.run === 'function'
      ? ['migrate', ...c.run(ctx).slice(1)]
      : ['migrate', ...commonArgs(ctx)];
  return [...args, '--keep-files'];
}

/** One run of a case: the CLI's result, its wall time, and the fault it ran under. */
export interface CaseRun {
  r: CliResult;
  ms: number;
  fault?: ArrangedFault;
}

/** Runs a case's migrate, inside the case's bash wrapper when it has one. */
export function runMigrateCase(c: CorpusCase, ctx: CaseContext): Promise<CaseRun> {
  return underFault(c, ctx, (run) => runArgs(c, migrateArgs(c, run)));
}

/** Row counts of every table in a case's schema. */
export async function tableCounts(world: CorpusWorld, schema: string): Promise<Record<string, number>> {
  const tables = await pgQuery(
    world.pg.url,
    undefined,
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${schema}' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t.name as string] = Number(
      (await pgQuery(world.pg.url, schema, `SELECT count(*)::int AS n FROM "${t.name}"`))[0].n,
    );
  return out;
}

export function commonArgs(c: CaseContext): string[] {
  return ['--pipeline', c.pipelineFile, '--source', c.sourceUrl, '--target', c.targetUrl, '--work-dir', c.work];
}

/** Runs the case's failing command, inside its bash wrapper when it has one. */
export function runCase(c: CorpusCase, ctx: CaseContext): Promise<CaseRun> {
  return underFault(c, ctx, (run) =>
    runArgs(c, typeof c.run === 'function' ? c.run(run) : [c.run, ...commonArgs(run)]),
  );
}

/**
 * The case's fault arranged, the command run with the URLs the fault puts in place, and the
 * fault torn down as soon as the command ended (a frozen proxy closed lets Postgres end the
 * session it holds), whatever happened.
 */
async function underFault(
  c: CorpusCase,
  ctx: CaseContext,
  command: (run: CaseContext) => Promise<CliResult>,
): Promise<CaseRun> {
  const fault = await c.fault?.(ctx);
  try {
    const run = { ...ctx, sourceUrl: fault?.sourceUrl ?? ctx.sourceUrl, targetUrl: fault?.targetUrl ?? ctx.targetUrl };
    const start = Date.now();
    const r = await command(run);
    return { r, ms: Date.now() - start, fault };
  } finally {
    await fault?.teardown();
  }
}

function runArgs(c: CorpusCase, args: string[]): Promise<CliResult> {
  return c.shell ? runShell(c.shell, args, c.env) : runCli(args, c.env, 60_000);
}

function runShell(line: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line, 'converge', process.execPath, BIN, ...args], {
      env: { ...process.env, CONVERGE_LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

function mappedTables(text: string): Set<string> {
  try {
    const js = parseDocument(text).toJS() as { tables?: Record<string, unknown> } | null;
    if (js?.tables && typeof js.tables === 'object') return new Set(Object.keys(js.tables));
  } catch {
    // a malformed mapping: fall back to the indented keys
  }
  return new Set([...text.matchAll(/^ {2}([A-Za-z_][\w]*):/gm)].map((m) => m[1]));
}

export async function pgQuery(
  url: string,
  schema: string | undefined,
  sql: string,
): Promise<Array<Record<string, unknown>>> {
  const p = new Client({ connectionString: url });
  await p.connect();
  try {
    if (schema) await p.query(`SET search_path TO "${schema}"`);
    const r = await p.query(sql);
    return (Array.isArray(r) ? r[r.length - 1] : r).rows;
  } finally {
    await p.end();
  }
}

/** After editing CSVs by hand: make the manifest describe them again (sha256, bytes), as a tool that rewrote them would. */
export async function resealManifest(dir: string): Promise<void> {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(await fsp.readFile(file, 'utf8')) as {
    tables: Record<string, ManifestEntry & { bytes: number }>;
  };
  const digest = async (f: string) => {
    const data = await fsp.readFile(path.join(dir, f));
    return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
  };
  for (const t of Object.values(m.tables)) {
    if (!t.chunks?.length) {
      Object.assign(t, await digest(t.file));
      continue;
    }
    for (const c of t.chunks) Object.assign(c, await digest(c.file));
    t.bytes = t.chunks.reduce((n, c) => n + (c.bytes ?? 0), 0);
    t.sha256 =
      t.chunks.length === 1
        ? t.chunks[0].sha256!
        : createHash('sha256')
            .update(t.chunks.map((c) => c.sha256).join('\n'))
            .digest('hex');
  }
  await fsp.writeFile(file, JSON.stringify(m, null, 2) + '\n', { mode: 0o600 });
}

/** True when the directory has no manifest, or one without completedAt. */
export async function manifestIncomplete(dir: string): Promise<boolean> {
  try {
    const m = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8')) as { completedAt?: string };
    return !m.completedAt;
  } catch {
    return true;
  }
}

/**
 * A manifest never claims what the disk does not hold: every table it calls complete has all of
 * its files, each with the size and sha256 it records (per chunk when the export was chunked).
 */
export async function expectManifestHonest(dir: string): Promise<void> {
  let m: { tables: Record<string, ManifestEntry> };
  try {
    m = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return; // no manifest claims nothing
  }
  for (const t of Object.values(m.tables)) {
    const parts = t.chunks?.length
      ? t.chunks.filter((c) => c.status === 'complete')
      : t.status === 'complete'
        ? [{ file: t.file, sha256: t.sha256 }]
        : [];
    for (const p of parts) {
      const data = await fsp.readFile(path.join(dir, p.file));
      expect({ table: t.name, file: p.file, sha256: createHash('sha256').update(data).digest('hex') }).toEqual({
        table: t.name,
        file: p.file,
        sha256: p.sha256,
      });
    }
  }
}

interface ManifestEntry {
  name: string;
  file: string;
  sha256: string;
  status: string;
  chunks?: Array<{ file: string; sha256?: string; bytes?: number; status?: string }>;
}

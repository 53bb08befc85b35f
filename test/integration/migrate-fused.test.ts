import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { seedKratos } from '../../fixtures/demo/kratos-seed';
import { seedAlkemio } from '../../fixtures/demo/alkemio-seed';
import { ExitCode } from '../../src/core/exit-codes';
import { runMigrate, MigrateResult } from '../../src/migrate/run-migrate';
import { CsvRowWriter } from '../../src/csv/csv-row-writer';
import { encodeRecord } from '../../src/csv/csv-encode';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';
import { runCli } from '../helpers/run-cli';

/**
 * `converge migrate`: the fused, streaming export → transform → import. Kratos end to end (its
 * lookups, keep-newest and drop-row policies, FK order) must verify and match the source's
 * counts; bad data must fail fast, leave the table empty and name table, column and source key.
 */
let fx: PipelineFixture;
let result: MigrateResult;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fx = await pipelineFixture('kratos');
  cleanups.push(() => fx.cleanup());
  const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
  try {
    await my.query("SET time_zone = '+00:00'");
    await seedKratos(my, { scale: 40 });
  } finally {
    await my.end();
  }
  result = await runMigrate({
    pipeline: fx.pipeline,
    source: fx.source,
    target: fx.target,
    workDir: fx.workDir,
    mappingDir: path.join(fx.pipeline.root, fx.pipeline.mapping),
    log: quietLog,
    jobs: 2,
  });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('converge migrate (fused)', () => {
  it('migrates Kratos in one pass, and the checksum proof passes for every table', () => {
    expect(result.tables.length).toBeGreaterThan(20);
    expect(result.tables.every((t) => t.status === 'migrated')).toBe(true);
    expect(result.tables.some((t) => t.path === 'streamed')).toBe(true);
    expect(result.tables.some((t) => t.fkChecks === 'set-based')).toBe(true);
    expect(result.verify!.tables.length).toBe(result.tables.length);
    expect(result.verify!.tables.filter((v) => !v.ok)).toEqual([]);
  });

  it('reads every source row and loads what the mapping keeps (counts from both servers)', async () => {
    const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
    const pg = new Client({ connectionString: fx.pgDb.url });
    await pg.connect();
    try {
      const manifest = JSON.parse(await fsp.readFile(path.join(result.manifestDir, 'manifest.json'), 'utf8'));
      const keepsRows = new Set(
        Object.values(manifest.tables as Record<string, { name: string; existing?: unknown }>)
          .filter((m) => m.existing)
          .map((m) => `public.${m.name}`),
      );
      let moved = 0;
      for (const t of result.tables) {
        const [[src]] = (await my.query(`SELECT count(*) AS n FROM \`${t.sourceTable}\``)) as unknown as [
          [{ n: number }],
        ];
        const { rows } = await pg.query(`SELECT count(*)::int AS n FROM ${t.table}`);
        expect({ table: t.table, rowsIn: t.rowsIn }).toEqual({ table: t.table, rowsIn: Number(src.n) });
        // Tables with an `existing:` policy keep the rows the target's migrations seeded.
        if (keepsRows.has(t.table)) expect(rows[0].n).toBeGreaterThanOrEqual(t.rows);
        else expect({ table: t.table, rows: rows[0].n }).toEqual({ table: t.table, rows: t.rows });
        moved += t.rows;
      }
      expect(moved).toBeGreaterThan(300);
      // Every loaded table has planner statistics at once, not when autovacuum gets to it.
      const blind = await pg.query(
        `SELECT relname FROM pg_stat_user_tables WHERE relid = ANY($1::regclass[]) AND last_analyze IS NULL AND last_autoanalyze IS NULL`,
        [result.tables.map((t) => t.table)],
      );
      expect(blind.rows).toEqual([]);
    } finally {
      await my.end();
      await pg.end();
    }
  });

  it('keeps no CSV without --keep-files, and writes a manifest verify can read', async () => {
    const manifest = JSON.parse(await fsp.readFile(path.join(result.manifestDir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('converge-transform/1');
    expect(manifest.fused.filesKept).toBe(false);
    const files = await fsp.readdir(path.join(fx.workDir, 'migrate', 'scratch'));
    expect(files).toEqual([]);
  });
});

describe("the direct path's CSV writer", () => {
  it('writes exactly what encodeRecord writes, from strings and from packet bytes', () => {
    const values = [
      '',
      'plain',
      'a,b',
      'say "hi"',
      'line\nbreak',
      'cr\rhere',
      '\\.',
      '\\.x',
      'Zoë 🎉 日本',
      '{"k": "v, w"}',
      '"',
      ',',
      'x'.repeat(100) + '"' + 'y'.repeat(100),
    ];
    const rows: Array<Array<string | null>> = [values, [null, '', null], [null], ['\n\n'], values.slice().reverse()];
    const w = new CsvRowWriter();
    let breaks = 0;
    for (const row of rows) {
      row.forEach((v, j) => {
        if (v === null) w.nul(j);
        else if (j % 2) w.text(j, v);
        else {
          const packet = Buffer.concat([Buffer.from('junk'), Buffer.from(v, 'utf8'), Buffer.from('tail')]);
          w.raw(j, packet, 4, packet.length - 4);
        }
      });
      breaks += w.breaks;
      w.endRow();
    }
    expect(w.take()!.toString('utf8')).toBe(rows.map(encodeRecord).join(''));
    expect(breaks).toBe(rows.flat().reduce((n, v) => n + (v ?? '').split('\n').length - 1, 0));
  });
});

describe('converge migrate (fused), Alkemio', () => {
  it('loads an FK cycle through the staged fallback, replaces seeded rows, and verifies', async () => {
    const ax = await pipelineFixture('alkemio');
    cleanups.push(() => ax.cleanup());
    const my = await mysql.createConnection({ uri: ax.mysqlDb.url });
    try {
      await seedAlkemio(my, { scale: 20 });
    } finally {
      await my.end();
    }
    const r = await runMigrate({
      pipeline: ax.pipeline,
      source: ax.source,
      target: ax.target,
      workDir: ax.workDir,
      mappingDir: path.join(ax.pipeline.root, ax.pipeline.mapping),
      log: quietLog,
      jobs: 2,
    });
    expect(r.tables.filter((t) => t.path === 'staged').length).toBeGreaterThan(1);
    expect(Object.keys(r.seededDeleted).length).toBeGreaterThan(0);
    expect(r.verify!.tables.filter((v) => !v.ok)).toEqual([]);
    expect(r.verify!.tables.length).toBe(r.tables.length);
  });
});

describe('converge migrate (CLI)', () => {
  const MYSQL_DDL = [
    'CREATE TABLE parent (id CHAR(36) NOT NULL PRIMARY KEY, note TEXT)',
    'CREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id CHAR(36) NOT NULL, note VARCHAR(20))',
  ];
  const PG_DDL = `
    CREATE TABLE parent (id uuid PRIMARY KEY, note text);
    CREATE TABLE child (id integer PRIMARY KEY, parent_id uuid NOT NULL REFERENCES parent (id), note text CHECK (note IS DISTINCT FROM 'refused'));`;
  const MAPPING =
    'version: 1\ntables:\n  parent:\n    columns: { id: uuid, note: text }\n  child:\n    columns: { id: integer, parent_id: uuid, note: text }\n';
  const P1 = '6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f';
  const P2 = '7a2d2c6a-4d66-4d90-8e2f-3b8c9d0e1f20';

  async function scenario(
    parent: Array<[string, string | null]>,
    child: Array<[number, string, string | null]>,
  ): Promise<{ args: string[]; pg: TestDb; dir: string }> {
    const my = await createMysqlDb('mig');
    const pg = await createPgDb('mig');
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-mig-'));
    cleanups.push(async () => {
      await my.drop();
      await pg.drop();
      await fsp.rm(dir, { recursive: true, force: true });
    });
    const conn = await mysql.createConnection({ uri: my.url });
    try {
      for (const ddl of MYSQL_DDL) await conn.query(ddl);
      if (parent.length) await conn.query('INSERT INTO parent (id, note) VALUES ?', [parent]);
      if (child.length) await conn.query('INSERT INTO child (id, parent_id, note) VALUES ?', [child]);
    } finally {
      await conn.end();
    }
    const p = new Client({ connectionString: pg.url });
    await p.connect();
    await p.query(PG_DDL);
    await p.end();
    await fsp.mkdir(path.join(dir, 'mapping'));
    await fsp.writeFile(path.join(dir, 'mapping', 'mapping.yaml'), MAPPING);
    await fsp.writeFile(
      path.join(dir, 'pipeline.yaml'),
      `name: mig\nsource: { database: ${my.name} }\ntarget: { database: ${pg.name}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
    );
    return {
      args: [
        '--pipeline',
        path.join(dir, 'pipeline.yaml'),
        '--source',
        my.url,
        '--target',
        pg.url,
        '--work-dir',
        path.join(dir, 'work'),
      ],
      pg,
      dir,
    };
  }

  async function count(db: TestDb, table: string): Promise<number> {
    const p = new Client({ connectionString: db.url });
    await p.connect();
    try {
      return Number((await p.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    } finally {
      await p.end();
    }
  }

  it('--keep-files tees the loaded CSVs with a manifest that converge verify reuses', async () => {
    const c = await scenario(
      [
        [P1, 'a, "quoted"\nnote'],
        [P2, null],
      ],
      [
        [1, P1, ''],
        [2, P2, null],
      ],
    );
    const r = await runCli(['migrate', '--keep-files', ...c.args]);
    expect(r.stderr).not.toMatch(/"level":[56]0/);
    expect(r.code).toBe(0);
    expect(await count(c.pg, 'child')).toBe(2);
    const dir = path.join(c.dir, 'work', 'transform');
    const manifest = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8'));
    for (const t of Object.values(manifest.tables) as Array<{ file: string; sha256: string; rows: number }>) {
      const bytes = await fsp.readFile(path.join(dir, t.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(t.sha256);
      expect(bytes.toString('utf8').split('\n').length).toBeGreaterThan(t.rows);
    }
    const v = await runCli(['verify', ...c.args]);
    expect(v.code).toBe(0);
  });

  it('an invalid uuid: exit code for bad data, table left empty, table/column/source key named', async () => {
    const c = await scenario(
      [
        [P1, null],
        ['not-a-uuid-at-all', 'x'],
      ],
      [],
    );
    const r = await runCli(['migrate', ...c.args]);
    expect(r.code).toBe(ExitCode.BadData);
    expect(r.stderr).toContain('UUID_INVALID');
    expect(r.stderr).toContain('table parent');
    expect(r.stderr).toContain('column id');
    expect(r.stderr).toContain('id = "not-a-uuid-at-all"');
    expect(await count(c.pg, 'parent')).toBe(0);
    // child may have started early (set-based FK checks): its parent's failure rolled it back.
    expect(r.stdout).toMatch(/public\.parent .* failed/);
    expect(r.stdout).toMatch(/public\.child .* not-run/);
  });

  it('a bad value beside values passed on their bytes alone: the error shows the row as it is', async () => {
    // note (text) and id are vouched for by their bytes and not decoded; the error decodes them.
    const c = await scenario(
      [[P1, 'parent note']],
      [
        [1, P1, 'fine'],
        [2, 'NOT-A-UUID', 'kept, "as is"'],
      ],
    );
    const r = await runCli(['migrate', '--log-level', 'error', ...c.args]);
    expect(r.code).toBe(ExitCode.BadData);
    expect(r.stderr).toContain('UUID_INVALID');
    expect(r.stderr).toContain('column parent_id');
    expect(r.stderr).toContain('kept, \\"as is\\"');
    expect(r.stderr).not.toContain('converge-passed');
    expect(await count(c.pg, 'child')).toBe(0);
  });

  it('a row COPY rejects mid-stream: named by its source key, found from the COPY line', async () => {
    const c = await scenario(
      [[P1, 'first\nsecond\nthird']],
      [
        [1, P1, 'ok'],
        [2, P1, 'two\nlines'],
        [3, P1, 'refused'],
        [4, P1, 'ok'],
      ],
    );
    const r = await runCli(['migrate', ...c.args]);
    expect(r.code).toBe(ExitCode.LoadRejected);
    expect(r.stderr).toContain('table child');
    expect(r.stderr).toContain('constraint child_note_check');
    expect(r.stderr).toContain('source row id = "3"');
    expect(await count(c.pg, 'parent')).toBe(1);
    expect(await count(c.pg, 'child')).toBe(0);
  });

  it('a row Postgres rejects (orphan FK): that table rolled back, constraint and source key named', async () => {
    const c = await scenario(
      [[P1, null]],
      [
        [1, P1, 'ok'],
        [2, P2, 'orphan'],
      ],
    );
    const r = await runCli(['migrate', ...c.args]);
    expect(r.code).toBe(ExitCode.LoadRejected);
    expect(r.stderr).toContain('LOAD_REJECTED');
    expect(r.stderr).toContain('table child');
    expect(r.stderr).toContain('constraint child_parent_id_fkey');
    expect(r.stderr).toContain(P2);
    expect(await count(c.pg, 'parent')).toBe(1);
    expect(await count(c.pg, 'child')).toBe(0);
    // The same through Postgres's own per-row checks (what a role without superuser gets).
    const again = await runCli(['migrate', '--truncate', '--per-row-fk-checks', ...c.args]);
    expect(again.code).toBe(ExitCode.LoadRejected);
    expect(again.stderr).toContain('constraint child_parent_id_fkey');
    expect(again.stderr).toContain(P2);
    expect(await count(c.pg, 'child')).toBe(0);
  });
});

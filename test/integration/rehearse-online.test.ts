import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { ExitCode } from '../../src/core/exit-codes';
import { comparePositions } from '../../src/source/mysql/binlog/binlog-check';
import type { PipelineRehearsal } from '../../src/rehearse/run-rehearsal';
import { binlogServer, BinlogServer } from '../helpers/binlog-server';
import { createPgDb, TestDb, uniqueName } from '../helpers/databases';
import { startPrivateMariadb } from '../helpers/private-servers';
import { runCli } from '../helpers/run-cli';
import { createShopSource, createShopTarget, shopSourceChecksum, writeShopProject } from '../helpers/shop-copy';

/**
 * `converge rehearse --online` against an existing copy of the source (the shop pipeline: no
 * seeder, no migrations): after the offline run, the online cut-over runs through the calls of
 * its commands, `migrate --follow`, `follow checkpoint` and `cutover`, on the scratch target.
 * The run history must show each of them ran (the follow started at the load, the checkpoint
 * verified, the cut-over switched the follow), the report must state the online write downtime
 * beside the offline one, and the scratch target must hold exactly the source's rows. A source
 * whose binary log cannot be followed is refused before anything is reset or loaded.
 */

const work = mkdtempSync(path.join(os.tmpdir(), 'converge-rehearse-online-'));
const project = path.join(work, 'shop');
let server: BinlogServer;
let source: { name: string; url: string };
let pg: TestDb;
let sourceBefore: unknown;

async function createSourceDb(base: string): Promise<{ name: string; url: string }> {
  const name = uniqueName('rh_online');
  const c = await mysql.createConnection({ uri: base });
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`).finally(() => c.end());
  await createShopSource(`${base}/${name}`);
  return { name, url: `${base}/${name}` };
}

const rehearse = (sourceUrl: string, extra: string[]) =>
  runCli(
    [
      'rehearse',
      '--project',
      project,
      '--pipeline',
      'shop',
      '--source',
      sourceUrl,
      '--target',
      pg.url,
      '--reset-target',
      pg.name,
      '--jobs',
      '2',
      '--work-dir',
      path.join(work, 'work'),
      ...extra,
    ],
    { CONVERGE_TARGET_URL: '', CONVERGE_SOURCE_URL: '' },
    240_000,
  );

async function pgQuery(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const c = new Client({ connectionString: pg.url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Every row of the shop's tables as text, in key order: one side's content, to compare with the other's. */
async function sourceRows(): Promise<unknown> {
  const c = await mysql.createConnection({ uri: source.url });
  try {
    const q = async (sql: string) => (await c.query({ sql, rowsAsArray: true }))[0];
    return {
      customers: await q("SELECT id, name, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM customers ORDER BY id"),
      orders: await q('SELECT id, customer_id, CAST(total AS CHAR), note FROM orders ORDER BY id'),
      tags: await q('SELECT id, label FROM tags ORDER BY id'),
    };
  } finally {
    await c.end();
  }
}

async function targetRows(): Promise<unknown> {
  const c = new Client({ connectionString: pg.url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query({ text: sql, rowMode: 'array' })).rows;
    return {
      customers: await q("SELECT id, name, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') FROM customers ORDER BY id"),
      orders: await q('SELECT id, customer_id, total::text, note FROM orders ORDER BY id'),
      tags: await q('SELECT id, label FROM tags ORDER BY id'),
    };
  } finally {
    await c.end();
  }
}

type Payload = Record<string, unknown>;
async function runEvents(runId: string): Promise<Array<{ kind: string; payload: Payload }>> {
  return (await pgQuery('SELECT kind, payload FROM converge.run_events WHERE run_id = $1 ORDER BY id', [
    runId,
  ])) as Array<{ kind: string; payload: Payload }>;
}

beforeAll(async () => {
  writeShopProject(project);
  server = await binlogServer();
  [source, pg] = await Promise.all([createSourceDb(server.base), createPgDb('rh_online')]);
  await createShopTarget(pg.url);
  sourceBefore = await shopSourceChecksum(source.url);
}, 120_000);

afterAll(async () => {
  if (source) {
    const c = await mysql.createConnection({ uri: server.base });
    await c.query(`DROP DATABASE IF EXISTS \`${source.name}\``).finally(() => c.end());
  }
  await pg?.drop();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('converge rehearse --online against an existing copy of the source', () => {
  it('refuses a source whose binary log is off before anything is reset or loaded (BINLOG_UNSUITABLE, exit 10)', async () => {
    const plain = await startPrivateMariadb();
    try {
      const copy = await createSourceDb(plain.url.replace(/\/$/, ''));
      // A row the rehearsal's reset would empty: still there means nothing was reset.
      await pgQuery("INSERT INTO tags VALUES (99, 'kept')");
      const r = await rehearse(copy.url, ['--online']);
      expect({ code: r.code, err: r.stderr }).toEqual({
        code: ExitCode.Follow,
        err: expect.stringMatching(/BINLOG_UNSUITABLE.*log_bin is OFF/),
      });
      expect(await pgQuery('SELECT id, label FROM tags')).toEqual([{ id: 99, label: 'kept' }]);
      expect(await pgQuery("SELECT to_regnamespace('converge') IS NULL AS none")).toEqual([{ none: true }]);
    } finally {
      await pgQuery('DELETE FROM tags WHERE id = 99');
      await plain.stop();
    }
  }, 120_000);

  let first: PipelineRehearsal;
  let report: string;

  it('runs the offline composition, then migrate --follow, follow checkpoint and cutover, timed per phase', async () => {
    const r = await rehearse(source.url, ['--online', '--json']);
    if (r.code !== 0) throw new Error(`rehearse exited ${r.code}: ${r.stderr.slice(-3000)}`);
    const out = JSON.parse(r.stdout) as { rehearsal: PipelineRehearsal; report: { markdown: string } };
    first = out.rehearsal;
    report = readFileSync(out.report.markdown, 'utf8');
    const res = first.result;
    // The offline path as before: its phases, its verify, its measured write downtime.
    expect(res.phases.map((p) => p.phase)).toEqual(['reset', 'load', 'verify']);
    const o = res.online!;
    expect(o.phases.map((p) => [p.phase, p.command ?? null])).toEqual([
      ['reset', null],
      ['load', 'migrate --follow'],
      ['follow-catch-up', 'migrate --follow'],
      ['checkpoint', 'follow checkpoint'],
      ['cutover', 'cutover'],
    ]);
    for (const p of o.phases) expect(p.seconds).toBeGreaterThanOrEqual(0);
    // Freeze → verified lies within the cut-over phase (which also checks nothing slipped in).
    const cutover = o.phases.find((p) => p.phase === 'cutover')!;
    expect(o.writeDowntimeSeconds).toBeGreaterThan(0);
    expect(o.writeDowntimeSeconds).toBeLessThanOrEqual(cutover.seconds + 0.05);
    // After the verified checkpoint a quiet source leaves no key to prove again: counts only.
    expect(o.proof).toMatchObject({ kind: 'checkpoint', keys: 0 });
    expect(o.checkpoint.tables).toBe(3);
    expect(o).toMatchObject({ tables: 3, verified: true, follow: { stoppedBy: 'stop-request' } });
    expect(o.runId).not.toBe(res.runId);
    expect(res.verified).toBe(true);
  }, 240_000);

  it('the run history shows the real follow, checkpoint and cut-over, and the follow switched', async () => {
    const o = first.result.online!;
    const events = await runEvents(o.runId);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'table.loaded')).toHaveLength(3);
    for (const k of ['rehearsal.sample', 'follow.started', 'follow.checkpoint', 'cutover.completed', 'follow.stopped'])
      expect({ k, recorded: kinds.includes(k) }).toEqual({ k, recorded: true });
    // In the order the runbook runs them.
    const order = ['follow.started', 'follow.checkpoint', 'cutover.completed'].map((k) => kinds.indexOf(k));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const by = (k: string) => events.find((e) => e.kind === k)!.payload;
    expect(by('rehearsal.sample')).toMatchObject({ pipeline: 'shop', online: true });
    expect(by('follow.started')).toMatchObject({ resumed: false });
    expect(by('follow.checkpoint')).toMatchObject({ verified: true, tables: 3 });
    expect(by('cutover.completed')).toMatchObject({
      downtimeSeconds: o.writeDowntimeSeconds,
      proof: { kind: 'checkpoint' },
    });
    expect(by('follow.stopped')).toMatchObject({ by: 'stop-request' });
    // Switched, at the cut-over's position or just past it (the follower stops at the first event there).
    const [state] = await pgQuery(
      "SELECT status, run_id::text AS run, binlog_file AS file, binlog_pos::bigint AS pos FROM converge.follow_state WHERE pipeline = 'shop'",
    );
    expect({ status: state.status, run: state.run }).toEqual({ status: 'switched', run: o.runId });
    expect(
      comparePositions({ file: String(state.file), position: Number(state.pos) }, o.position),
    ).toBeGreaterThanOrEqual(0);
    expect(await pgQuery("SELECT status FROM converge.follow_checkpoints WHERE pipeline = 'shop'")).toEqual([
      { status: 'verified' },
    ]);
  });

  it('the scratch target holds exactly the source’s rows, and the copy is unchanged', async () => {
    expect(await targetRows()).toEqual(await sourceRows());
    expect(await shopSourceChecksum(source.url)).toEqual(sourceBefore);
    expect(await pgQuery('SELECT count(*)::int AS n FROM app_migrations')).toEqual([{ n: 2 }]);
  });

  it('the report states the online write downtime, measured, beside the offline one', () => {
    const o = first.result.online!;
    expect(report).toContain('### Online cut-over');
    expect(report).toMatch(
      /Online write downtime measured \(converge cutover, freeze → verified\): [\d.]+ s\. Offline write downtime \(converge migrate's load and verify, writes frozen throughout\): measured [\d.]+ s/,
    );
    expect(report).toContain('measured, not predicted');
    expect(report).toContain('`converge migrate --pipeline shop --jobs 2 --follow`');
    expect(report).toContain('`converge follow checkpoint --pipeline shop`');
    expect(report).toContain('`converge cutover --pipeline shop`');
    expect(report).toContain(`| cutover | converge cutover |`);
    expect(report).toContain(`frozen ${o.writeDowntimeSeconds.toFixed(2)} s (freeze → verified)`);
  });

  it('a second online rehearsal resets the target the first one switched, and prints the online line', async () => {
    const r = await rehearse(source.url, ['--online']);
    if (r.code !== 0) throw new Error(`rehearse exited ${r.code}: ${r.stderr.slice(-3000)}`);
    expect(r.stdout).toMatch(
      /shop: online write downtime \(converge cutover, freeze → verified\) [\d.]+ s, measured, not predicted .*verified yes/,
    );
    expect(r.stdout).toMatch(
      /shop: online run [0-9a-f-]{36}: reset [\d.]+ s, load [\d.]+ s, follow-catch-up [\d.]+ s, checkpoint [\d.]+ s, cutover [\d.]+ s\n/,
    );
    const [state] = await pgQuery(
      "SELECT status, run_id::text AS run FROM converge.follow_state WHERE pipeline = 'shop'",
    );
    expect(state.status).toBe('switched');
    expect(state.run).not.toBe(first.result.online!.runId);
    expect(await targetRows()).toEqual(await sourceRows());
  }, 240_000);
});

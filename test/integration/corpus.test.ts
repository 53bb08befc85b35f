import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ConvergeError } from '../../src/core/errors';
import { CaseContext, CorpusCase, errorLine, migrateRun } from '../helpers/corpus-case';
import {
  CaseRun,
  commonArgs,
  CorpusWorld,
  manifestIncomplete,
  openCorpusWorld,
  pgQuery,
  prepareCase,
  prepareMigrateCase,
  resealManifest,
  runCase,
  runMigrateCase,
  tableCounts,
} from '../helpers/corpus-world';
import { runCli } from '../helpers/run-cli';
import { ALL_CASES } from '../corpus/cases';

/**
 * The bad-input corpus, through the built CLI on the real servers: every case must exit with the
 * code its error maps to, print that error with its location, never call itself a bug, and leave
 * no partial table and no manifest claiming completion. Cases live in test/corpus/cases/*.ts.
 * Every case whose bad input can reach `converge migrate` runs through it too, against a fresh
 * target: same error code, same exit code, nothing half-written.
 */
let world: CorpusWorld;
/** Each case's run, started in beforeAll a few at a time (they share nothing but the servers). */
const outcomes = new Map<CorpusCase, Promise<CaseRun & { ctx: CaseContext }>>();
/** The same for the migrate runs, with the target's row counts just before the run. */
const migrateOutcomes = new Map<CorpusCase, Promise<CaseRun & { ctx: CaseContext; before: Record<string, number> }>>();
const PARALLEL = 3;
const MIGRATE_CASES = ALL_CASES.filter((c) => migrateRun(c));
/** The cases that must reach migrate: lower it only with a case moved to notApplicable, and say why there. */
const AT_LEAST_THROUGH_MIGRATE = 79;

beforeAll(async () => {
  world = await openCorpusWorld();
  // One job per run (the staged one, then the migrate one), started in order; a map holds each promise.
  const queue: Array<() => Promise<unknown>> = [];
  // Cases with a fault start first: their waits (stall and connect time-outs, a held first run)
  // then overlap the many short cases instead of running last, alone.
  const entries = [...ALL_CASES.entries()];
  for (const [index, c] of [...entries.filter(([, c]) => c.fault), ...entries.filter(([, c]) => !c.fault)]) {
    queue.push(() => {
      const done = (async () => {
        const ctx = await prepareCase(world, c, index);
        return { ctx, ...(await runCase(c, ctx)) };
      })();
      outcomes.set(c, done);
      return done;
    });
    if (migrateRun(c))
      queue.push(() => {
        const done = (async () => {
          const ctx = await prepareMigrateCase(world, c, index);
          const before = await tableCounts(world, ctx.schema);
          return { ctx, before, ...(await runMigrateCase(c, ctx)) };
        })();
        migrateOutcomes.set(c, done);
        return done;
      });
  }
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job().catch(() => undefined);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 600_000);

afterAll(async () => {
  await world?.close();
});

test('the corpus holds at least 40 cases, with unique names', () => {
  expect(ALL_CASES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(ALL_CASES.map((c) => c.name)).size).toBe(ALL_CASES.length);
});

describe.each(groupByStage(ALL_CASES))('%s', (_stage, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { ctx, r, ms, fault } = await outcomes.get(c)!;
    const err = errorLine(r.stderr);
    const report = `exit ${r.code}\nstderr:\n${r.stderr.slice(-3000)}\nstdout:\n${r.stdout.slice(-1000)}`;

    expect({ code: err?.code, exit: r.code, report }).toEqual({ code: c.expect.code, exit: c.expect.exit, report });
    if (c.expect.within) expect({ ms, within: ms <= c.expect.within }).toEqual({ ms, within: true });
    // The exit code is the one errors.ts maps the error code to: one table, no exceptions.
    expect(new ConvergeError(c.expect.code, '').exitCode).toBe(c.expect.exit);
    expect(r.stderr).not.toMatch(/this is a bug|unexpected error/);
    for (const w of c.expect.where?.(ctx) ?? []) expect(err!.line).toContain(w);
    if (c.expect.message) expect(err!.line).toMatch(c.expect.message);
    for (const secret of c.expect.absent?.(ctx) ?? []) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }

    for (const [table, n] of Object.entries(c.after?.rows ?? {})) {
      const rows = await pgQuery(world.pg.url, ctx.schema, `SELECT count(*)::int AS n FROM "${table}"`);
      expect({ table, rows: rows[0].n }).toEqual({ table, rows: n });
    }
    for (const stage of c.after?.incomplete ?? []) {
      expect({
        stage,
        incomplete: await manifestIncomplete(stage === 'export' ? ctx.exportDir : ctx.transformDir),
      }).toEqual({ stage, incomplete: true });
    }
    await c.after?.check?.(ctx);
    await fault?.check?.();
  });
});

describe.each(groupByStage(MIGRATE_CASES))('%s, through migrate', (_stage, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const m = migrateRun(c)!;
    const { ctx, r, before, ms, fault } = await migrateOutcomes.get(c)!;
    const err = errorLine(r.stderr);
    const report = `exit ${r.code}\nstderr:\n${r.stderr.slice(-3000)}\nstdout:\n${r.stdout.slice(-1000)}`;

    expect({ code: err?.code, exit: r.code, report }).toEqual({ code: c.expect.code, exit: c.expect.exit, report });
    if (c.expect.within) expect({ ms, within: ms <= c.expect.within }).toEqual({ ms, within: true });
    expect(r.stderr).not.toMatch(/this is a bug|unexpected error/);
    for (const w of m.where?.(ctx) ?? []) expect(err!.line).toContain(w);
    if (m.sameError) {
      for (const w of c.expect.where?.(ctx) ?? []) expect(err!.line).toContain(w);
      if (c.expect.message) expect(err!.line).toMatch(c.expect.message);
    }
    for (const secret of c.expect.absent?.(ctx) ?? []) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
    // Every table as before, except what the case says a failed load leaves (tables loaded before it).
    const expected = { ...before, ...(m.rows ?? c.after?.rows ?? {}) };
    expect(await tableCounts(world, ctx.schema)).toEqual(expected);
    for (const dir of ['migrate', 'transform'])
      expect({ dir, incomplete: await manifestIncomplete(path.join(ctx.work, dir)) }).toEqual({
        dir,
        incomplete: true,
      });
    await m.check?.(ctx);
    await fault?.check?.();
  });
});

test(`at least ${AT_LEAST_THROUGH_MIGRATE} corpus cases run through migrate, and every other one says why not`, () => {
  expect(MIGRATE_CASES.length).toBeGreaterThanOrEqual(AT_LEAST_THROUGH_MIGRATE);
  const reasons = ALL_CASES.filter((c) => !migrateRun(c)).map((c) => ({
    name: c.name,
    reason: (c.migrate as { notApplicable: string }).notApplicable,
  }));
  expect(reasons.filter((x) => !(x.reason?.trim().length > 10))).toEqual([]);
  expect(MIGRATE_CASES.length + reasons.length).toBe(ALL_CASES.length);
});

// Not an error: a 100 MB field is data, and must arrive whole (bounded memory, no crash, no cut).
test('csv: a 100 MB field is carried through transform and import intact', async () => {
  const SIZE = 100 * 1024 * 1024;
  const big: CorpusCase = {
    name: 'a 100 MB field',
    stage: 'csv',
    from: 'export',
    mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
    pg: 'CREATE TABLE plain (id integer PRIMARY KEY, s text);',
    tamper: async (c) => {
      await fsp.writeFile(path.join(c.exportDir, 'plain.csv'), `id,s\n1,"${'x'.repeat(SIZE - 2)}""q"\n2,""\n`);
      // The file now holds two rows: the manifest says so, as an export of it would.
      const file = path.join(c.exportDir, 'manifest.json');
      const m = JSON.parse(await fsp.readFile(file, 'utf8'));
      m.tables.plain.rows = 2;
      for (const ch of m.tables.plain.chunks ?? []) ch.rows = 2;
      await fsp.writeFile(file, JSON.stringify(m));
      await resealManifest(c.exportDir);
    },
    run: 'transform',
    expect: { exit: 0, code: 'INTERNAL' },
    migrate: { notApplicable: 'not a corpus case: a file edited between export and transform' },
  };
  const ctx = await prepareCase(world, big, ALL_CASES.length);
  const tr = await runCli(['transform', ...commonArgs(ctx)], {}, 110_000);
  expect({ exit: tr.code, stderr: tr.stderr.slice(-2000) }).toEqual({ exit: 0, stderr: tr.stderr.slice(-2000) });
  const im = await runCli(['import', ...commonArgs(ctx)], {}, 110_000);
  expect({ exit: im.code, stderr: im.stderr.slice(-2000) }).toEqual({ exit: 0, stderr: im.stderr.slice(-2000) });
  const rows = await pgQuery(
    world.pg.url,
    ctx.schema,
    `SELECT id, length(s) AS n, right(s, 3) AS tail, s = repeat('x', ${SIZE - 2}) || '"q' AS exact FROM plain ORDER BY id`,
  );
  expect(rows).toEqual([
    { id: 1, n: SIZE, tail: 'x"q', exact: true },
    { id: 2, n: 0, tail: '', exact: false },
  ]);
  await fsp.rm(ctx.work, { recursive: true, force: true });
}, 240_000);

function groupByStage(cases: CorpusCase[]): Array<[string, CorpusCase[]]> {
  const by = new Map<string, CorpusCase[]>();
  for (const c of cases) by.set(c.stage, [...(by.get(c.stage) ?? []), c]);
  return [...by];
}

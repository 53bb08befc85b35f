import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { runImport } from '../../src/import/run-import';
import { readPgCatalog } from '../../src/target/postgres/catalog';
import { integrityProblems } from '../../src/target/postgres/verify/integrity-checks';
import {
  counts,
  fixtureRows,
  importFixture,
  ImportFixture,
  STAMP,
  triggerStates,
  uuidOf,
  writeTransformDir,
} from './import-fixture';

const log = silentLogger();
const ENABLED = { touch_aggregator: 'O', touch_bucket: 'O', touch_note: 'O', touch_person: 'O' };

async function error(
  p: Promise<unknown>,
): Promise<{ code?: string; message: string; context: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected a failure');
}

describe('import engine on a hard target (cycles, two schemas, generated column, triggers, sequences)', () => {
  let f: ImportFixture;
  const target = () => parseConnectionUrl(f.db.url, 'postgres', 'test');

  beforeAll(async () => {
    f = await importFixture('impeng');
  });
  afterAll(async () => f?.cleanup());

  it('loads everything in FK order with 2 jobs, every FK holding, triggers off during and on after', async () => {
    const res = await runImport({ dir: f.transformDir, target: target(), log, jobs: 2 });
    expect(await counts(f.pg)).toEqual(f.rows);
    expect(res.tables.every((t) => t.status === 'loaded')).toBe(true);
    // The cycle was closed: every aggregator points at its direct bucket again.
    const agg = await f.pg.query(
      `SELECT count(*)::int AS n FROM app.aggregator a JOIN app.bucket b ON b.id = a.direct_bucket_id AND b.aggregator_id = a.id`,
    );
    expect(agg.rows[0].n).toBe(4);
    const cyc = res.plan.find((g) => g.tables.some((t) => t.key === 'app.bucket'))!;
    expect(cyc.tables.map((t) => [t.key, t.nullFirst])).toEqual([
      ['app.aggregator', ['direct_bucket_id']],
      ['app.bucket', []],
    ]);
    expect(res.plan.find((g) => g.tables.some((t) => t.key === 'app.wife'))!.deferred.sort()).toEqual([
      'husband_wife_fk',
      'wife_husband_id_fkey',
    ]);
    // Triggers would have stamped 1999 on insert and on the cycle's UPDATE: loaded values are intact.
    const stamps = await f.pg.query(
      `SELECT DISTINCT updated_at::text AS t FROM (SELECT updated_at FROM app.aggregator UNION ALL SELECT updated_at FROM app.bucket UNION ALL SELECT updated_at FROM app.person UNION ALL SELECT updated_at FROM app.note) x`,
    );
    expect(stamps.rows).toEqual([{ t: STAMP.replace('.789+00', '.789+00') }]);
    expect(await triggerStates(f.pg)).toEqual(ENABLED);
    // Every loaded table has planner statistics at once, not when autovacuum gets to it.
    const blind = await f.pg.query(
      `SELECT relname FROM pg_stat_user_tables WHERE schemaname IN ('app', 'ref') AND last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY 1`,
    );
    expect(blind.rows).toEqual([]);
    // And they work again afterwards.
    await f.pg.query(`UPDATE app.note SET body = 'x' WHERE id = 1`);
    expect((await f.pg.query(`SELECT updated_at::text AS t FROM app.note WHERE id = 1`)).rows[0].t).toBe(
      '1999-09-09 09:09:09+00',
    );
  });

  it('leaves the generated column to the target, keeps enum/domain values, crosses schemas, self-references across chunk files', async () => {
    const p = await f.pg.query(
      `SELECT id::int, total, mood::text, email, country, manager_id::int FROM app.person WHERE id IN (3, 26) ORDER BY id`,
    );
    expect(p.rows).toEqual([
      { id: 3, total: 9, mood: 'happy', email: null, country: 'NL', manager_id: 47 },
      { id: 26, total: 78, mood: 'sad', email: 'p26@example.org', country: 'NL', manager_id: null },
    ]);
  });

  it('moves identity and serial sequences past the loaded max', async () => {
    const next = await f.pg.query(
      `SELECT nextval(pg_get_serial_sequence('app.person', 'id'))::int AS p, nextval(pg_get_serial_sequence('app.note', 'id'))::int AS n`,
    );
    expect(next.rows[0]).toEqual({ p: 51, n: f.rows.note + 1 });
  });

  it('proves sequences and triggers afterwards, and catches a sequence set back and a trigger left off', async () => {
    const catalog = await readPgCatalog(f.pg, ['app', 'ref']);
    const keys = [...catalog.tables.keys()];
    expect([...(await integrityProblems(f.pg, catalog, keys)).values()].flat()).toEqual([]);
    await f.pg.query(`SELECT setval(pg_get_serial_sequence('app.person', 'id'), 10)`);
    await f.pg.query(`ALTER TABLE app.note DISABLE TRIGGER touch_note`);
    const problems = await integrityProblems(f.pg, await readPgCatalog(f.pg, ['app', 'ref']), keys);
    expect(problems.get('app.person')).toEqual([
      'sequence app.person_id_seq would hand out 11, but id already holds 50',
    ]);
    expect(problems.get('app.note')).toEqual(['user trigger touch_note is disabled']);
    await f.pg.query(`ALTER TABLE app.note ENABLE TRIGGER touch_note`);
  });

  it('refuses a non-empty target unless --truncate, then reloads the same result', async () => {
    const e = await error(runImport({ dir: f.transformDir, target: target(), log }));
    expect(e.code).toBe('TARGET_NOT_EMPTY');
    await runImport({ dir: f.transformDir, target: target(), log, truncate: true });
    expect(await counts(f.pg)).toEqual(f.rows);
    expect(await triggerStates(f.pg)).toEqual(ENABLED);
  });
});

describe('replaceSeeded, single transaction, reject file', () => {
  let f: ImportFixture;
  const target = () => parseConnectionUrl(f.db.url, 'postgres', 'test');

  beforeAll(async () => {
    f = await importFixture('impseed');
  });
  afterAll(async () => f?.cleanup());

  it('replaces the rows the target seeded (a cycle of singletons with random ids) in the load', async () => {
    await f.pg.query(`INSERT INTO ref.country VALUES ('NL', 'seeded NL'), ('DE', 'seeded DE')`);
    await f.pg
      .query(`BEGIN; INSERT INTO app.aggregator (id, updated_at) VALUES (gen_random_uuid(), now()), (gen_random_uuid(), now());
      INSERT INTO app.bucket (id, aggregator_id, updated_at) SELECT gen_random_uuid(), id, now() FROM app.aggregator;
      UPDATE app.aggregator a SET direct_bucket_id = b.id FROM app.bucket b WHERE b.aggregator_id = a.id; COMMIT`);
    const refused = await error(runImport({ dir: f.transformDir, target: target(), log }));
    expect(refused.code).toBe('TARGET_NOT_EMPTY');
    const res = await runImport({
      dir: f.transformDir,
      target: target(),
      log,
      replaceSeeded: ['aggregator', 'bucket', 'ref.country'],
    });
    expect(res.seededDeleted).toEqual({ 'app.aggregator': 2, 'app.bucket': 2, 'ref.country': 2 });
    expect(await counts(f.pg)).toEqual(f.rows);
    const ids = await f.pg.query(`SELECT id::text FROM app.aggregator ORDER BY id`);
    expect(ids.rows.map((r) => r.id)).toEqual([1, 2, 3, 4].map((i) => uuidOf('a', i)));
    expect((await f.pg.query(`SELECT name FROM ref.country ORDER BY code`)).rows).toEqual([
      { name: 'Germany' },
      { name: 'Netherlands' },
    ]);
    expect(await triggerStates(f.pg)).toEqual(ENABLED);
  });

  it('--single-transaction: one bad row in the last table rolls back every table, seeded-row deletion included', async () => {
    await runImport({ dir: f.transformDir, target: target(), log, truncate: true });
    await f.pg.query(`TRUNCATE app.note, app.person, app.husband, app.wife, app.bucket, app.aggregator, ref.country`);
    await f.pg.query(`INSERT INTO ref.country VALUES ('XX', 'seeded')`);
    const data = fixtureRows(200);
    data.note.files[0][150][1] = '9999';
    const dir = path.join(f.workDir, 'bad-note');
    await writeTransformDir(dir, data);
    const e = await error(
      runImport({ dir, target: target(), log, singleTransaction: true, replaceSeeded: ['ref.country'] }),
    );
    expect(e.code).toBe('LOAD_REJECTED');
    expect(e.context.csvLine).toBeGreaterThan(150);
    expect(await counts(f.pg)).toEqual({
      'ref.country': 1,
      aggregator: 0,
      bucket: 0,
      husband: 0,
      wife: 0,
      person: 0,
      note: 0,
    });
    expect(await triggerStates(f.pg)).toEqual(ENABLED);
    // Per-table mode keeps what committed before the failing table.
    await f.pg.query(`TRUNCATE ref.country CASCADE`);
    await error(runImport({ dir, target: target(), log }));
    const c = await counts(f.pg);
    expect(c.person).toBe(50);
    expect(c.note).toBe(0);
  });

  it('checks foreign keys once per key (superuser): an orphan is named by file, CSV line, column, constraint and row, as per-row checks name it', async () => {
    const truncate = () =>
      f.pg.query(`TRUNCATE app.note, app.person, app.husband, app.wife, app.bucket, app.aggregator, ref.country`);
    await truncate();
    const data = fixtureRows(3000);
    data.note.files[0][1500][1] = '9999'; // no such person
    const dir = path.join(f.workDir, 'orphan-src');
    await writeTransformDir(dir, data);
    const once = await error(runImport({ dir, target: target(), log }));
    await truncate();
    const perRow = await error(runImport({ dir, target: target(), log, perRowFkChecks: true }));
    // The two paths say it differently (an anti-join finds the key, a trigger the row) ...
    expect(once.message).toMatch(/Key \(person_id\)=\(9999\) is not present in table "person"/);
    expect(perRow.message).toMatch(/violates foreign key constraint "note_person_id_fkey"/);
    // ... and point at the same place.
    for (const e of [once, perRow]) expect(e.code).toBe('LOAD_REJECTED');
    const where = (e: typeof once) => ({
      table: e.context.table,
      file: e.context.file,
      csvLine: e.context.csvLine,
      column: e.context.column,
      constraint: e.context.constraint,
      sqlstate: e.context.sqlstate,
      row: e.context.row,
    });
    expect(where(once)).toEqual(where(perRow));
    expect(once.context.constraint).toBe('note_person_id_fkey');
    expect((once.context.row as Record<string, string>).person_id).toBe('9999');
    expect(typeof once.context.csvLine).toBe('number');
    expect((await counts(f.pg)).note).toBe(0);
    await truncate();
  });

  it('--collect-errors writes each bad row and its reason, loads the rest, and stops past the limit', async () => {
    await f.pg.query(`TRUNCATE app.note, app.person, app.husband, app.wife, app.bucket, app.aggregator, ref.country`);
    const data = fixtureRows(3000);
    data.note.files[0][10][1] = '9999'; // FK violation
    data.note.files[0][2500][1] = 'abc'; // not a bigint
    data.note.files[0][2600][3] = 'the day after'; // not a timestamp
    const dir = path.join(f.workDir, 'rejects-src');
    await writeTransformDir(dir, data);
    const rejectDir = path.join(f.workDir, 'rejects');
    const tooFew = await error(runImport({ dir, target: target(), log, collectErrors: 2, rejectDir }));
    expect(tooFew.message).toContain('more than 2 rows rejected');
    await f.pg.query(`TRUNCATE app.note, app.person, app.husband, app.wife, app.bucket, app.aggregator, ref.country`);
    await fsp.rm(rejectDir, { recursive: true, force: true });
    const res = await runImport({ dir, target: target(), log, collectErrors: 3, rejectDir });
    expect(res.rejected).toBe(3);
    expect((await counts(f.pg)).note).toBe(2997);
    const text = await fsp.readFile(path.join(rejectDir, 'app.note.rejects.csv'), 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .filter((l) => /^note\.csv:/.test(l));
    expect(lines).toHaveLength(3);
    expect(text).toContain('23503');
    expect(text).toContain('22P02');
    expect(text).toContain('note_person_id_fkey');
    expect(text.startsWith('csv_line,sqlstate,reason,id,person_id,body,updated_at\n')).toBe(true);
  });
});

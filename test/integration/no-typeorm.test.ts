import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { seedAudit } from '../../fixtures/demo/audit-seed';
import { ExitCode } from '../../src/core/exit-codes';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { openMysql } from '../../src/source/mysql/connect';
import { pipelinePath } from '../../src/pipeline/load-pipeline';
import { createPgDb, TestDb } from '../helpers/databases';
import { pipelineFixture, PipelineFixture } from '../helpers/pipeline-fixture';
import { runCli } from '../helpers/run-cli';

/**
 * TypeORM belongs to the application (and to the fixtures standing in for one), not to converge:
 * the data commands must run where it is not installed. A preload hook makes every require of
 * typeorm or reflect-metadata throw, in the CLI and in any process it starts, and a small real
 * migration runs staged (export, transform, import) and fused (migrate) through the built CLI.
 */
const BLOCKED = ['typeorm', 'reflect-metadata'];
const HOOK = `'use strict';
const Module = require('node:module');
const load = Module._load;
const blocked = ${JSON.stringify(BLOCKED)};
Module._load = function (request, ...rest) {
  if (blocked.some((b) => request === b || request.startsWith(b + '/')))
    throw new Error('blocked by the no-typeorm test: require(' + JSON.stringify(request) + ')');
  return load.call(this, request, ...rest);
};
`;

let fx: PipelineFixture;
let migrateDb: TestDb;
let hookDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  hookDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-no-typeorm-'));
  const hook = path.join(hookDir, 'block-typeorm.js');
  await fsp.writeFile(hook, HOOK);
  env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim() };
  fx = await pipelineFixture('audit');
  const my = await openMysql(fx.source);
  try {
    await seedAudit(my, { scale: 1 });
  } finally {
    await my.end();
  }
  migrateDb = await createPgDb('notypeorm_migrate');
  await applyMigrations({
    dialect: 'postgres',
    connection: parseConnectionUrl(migrateDb.url, 'postgres', 'test target'),
    dir: pipelinePath(fx.pipeline, fx.pipeline.target.migrations!),
    tracking: fx.pipeline.target.tracking!,
  });
});

afterAll(async () => {
  await migrateDb?.drop().catch(() => undefined);
  await fx?.cleanup();
  if (hookDir) await fsp.rm(hookDir, { recursive: true, force: true });
});

describe('the data commands without TypeORM', () => {
  it('the hook does block typeorm (else the runs below would prove nothing)', () => {
    const r = spawnSync(process.execPath, ['-e', "require('typeorm')"], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('blocked by the no-typeorm test');
  });

  it('no compiled product module requires typeorm or reflect-metadata', async () => {
    const dist = path.resolve(__dirname, '../../dist/src');
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (
          e.name.endsWith('.js') &&
          /require\("(typeorm|reflect-metadata)(\/[^"]*)?"\)/.test(await fsp.readFile(p, 'utf8'))
        )
          offenders.push(path.relative(dist, p));
      }
    };
    await walk(dist);
    expect(offenders).toEqual([]);
  });

  it('export, transform and import, then migrate, through the built CLI', async () => {
    // Every stage records its run in the target's history, so each one names both servers.
    const common = ['--pipeline', fx.pipeline.file, '--work-dir', fx.workDir, '--source', fx.mysqlDb.url];
    const steps: string[][] = [
      ['export', ...common, '--target', fx.pgDb.url],
      ['transform', ...common, '--target', fx.pgDb.url],
      ['import', ...common, '--target', fx.pgDb.url, '--verify'],
    ];
    for (const args of steps) {
      const r = await runCli(args, env);
      expect({ step: args[0], code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({
        step: args[0],
        code: ExitCode.Ok,
        stderr: '',
      });
    }
    const migrate = await runCli(
      [
        'migrate',
        '--pipeline',
        fx.pipeline.file,
        '--work-dir',
        path.join(fx.workDir, 'fused'),
        '--source',
        fx.mysqlDb.url,
        '--target',
        migrateDb.url,
      ],
      env,
    );
    expect({ code: migrate.code, stderr: migrate.code === 0 ? '' : migrate.stderr }).toEqual({
      code: ExitCode.Ok,
      stderr: '',
    });
  });
});

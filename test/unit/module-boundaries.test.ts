import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The module boundaries of .dependency-cruiser.cjs, held by the suite: no import cycle between
 * folders of src/, and the database drivers (mysql2, pg, pg-copy-streams, types included) only
 * inside their engine folders (src/source/mysql, src/target/postgres).
 *
 * dependency-cruiser 17 is ESM only, which ts-jest's CommonJS cannot import (and jest's VM has
 * no dynamic import without --experimental-vm-modules), so the test runs its CLI with the
 * repository's config and reads the JSON result.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: Array<{ name: string } | string>;
}

/** Cruises `src` of `cwd` with the repository's rules; every violation, one line each. */
async function violations(cwd: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'src', '--config', CONFIG, '--output-type', 'json'],
      {
        cwd,
        maxBuffer: 64 * 1024 * 1024,
      },
    ));
  } catch (e) {
    // A non-zero exit still prints the result when there is one; anything else is a real failure.
    const out = (e as { stdout?: string }).stdout;
    if (!out) throw e;
    stdout = out;
  }
  const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v) => {
    const via = v.cycle?.length ? ` (${v.cycle.map((c) => (typeof c === 'string' ? c : c.name)).join(' → ')})` : '';
    return `${v.rule.name}: ${v.from} → ${v.to}${via}`;
  });
}

describe('module boundaries', () => {
  it('src has no folder cycle and no driver import outside its engine', async () => {
    expect(await violations(ROOT)).toEqual([]);
  });

  describe('the check itself', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-boundaries-'));
      const write = async (file: string, text: string) => {
        await fsp.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await fsp.writeFile(path.join(dir, file), text);
      };
      await write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
      // Two folders importing each other, and a pg import outside the Postgres engine.
      await write('src/alpha/a.ts', "import { b } from '../beta/b';\nexport const a = () => b;\n");
      await write(
        'src/beta/b.ts',
        "import type { a } from '../alpha/a';\nexport const b = 1;\nexport type A = typeof a;\n",
      );
      await write('src/verify/read.ts', "import type { Client } from 'pg';\nexport type C = Client;\n");
      await write('src/target/postgres/connect.ts', "import { Client } from 'pg';\nexport const c = Client;\n");
      await fsp.symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    });
    afterAll(async () => {
      if (dir) await fsp.rm(dir, { recursive: true, force: true });
    });

    it('reports a folder cycle and a driver import outside its engine', async () => {
      const found = await violations(dir);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^no-folder-cycles: src\/(alpha → src\/beta|beta → src\/alpha)/),
          expect.stringMatching(/^postgres-driver-in-engine: src\/verify\/read\.ts → .*node_modules\/(@types\/)?pg\//),
        ]),
      );
      // The engine's own pg import is allowed.
      expect(found.filter((v) => v.includes('src/target/postgres/'))).toEqual([]);
    });
  });
});

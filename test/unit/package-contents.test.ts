import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * What `npm pack` ships and what an installed converge runs on: production dependencies only,
 * each one used, and an entry point that exists. The install itself is proven end to end by
 * test/integration/installed-project.test.ts.
 */
const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}
const code = sources(path.join(root, 'src')).map((f) => ({ f, text: readFileSync(f, 'utf8') }));

/** The package names a file loads at run time (type-only imports vanish when compiled). */
function runtimeImports(text: string): string[] {
  const names = [
    ...[...text.matchAll(/^import (?!type )[^;]*?from '([^.][^']*)'/gm)].map((m) => m[1]),
    ...[...text.matchAll(/require\('([^.][^']*)'\)/g)].map((m) => m[1]),
    // pino loads its pretty printer by name, in a worker thread.
    ...[...text.matchAll(/transport\(\{ target: '([^.][^']*)'/g)].map((m) => m[1]),
  ];
  return names.filter((n) => !n.startsWith('node:')).map((n) => (n.startsWith('@') ? n : n.split('/')[0]));
}

describe('the package', () => {
  test('every production dependency is loaded by src/', () => {
    const used = new Set(code.flatMap(({ text }) => runtimeImports(text)));
    expect(Object.keys(pkg.dependencies).filter((d) => !used.has(d))).toEqual([]);
  });

  test('src/ loads no development dependency at run time (an installed converge has none)', () => {
    const dev = new Set(Object.keys(pkg.devDependencies));
    const bad = code.flatMap(({ f, text }) =>
      runtimeImports(text)
        .filter((n) => dev.has(n) || !(n in pkg.dependencies))
        .map((n) => `${path.relative(root, f)}: ${n}`),
    );
    expect(bad).toEqual([]);
  });

  test('main, types and bin point into what is shipped and built by prepack', () => {
    expect(pkg.main).toBe('dist/src/index.js');
    expect(pkg.types).toBe('dist/src/index.d.ts');
    expect(existsSync(path.join(root, 'src', 'index.ts'))).toBe(true);
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/', 'dist/src/', 'docs/*.schema.json']));
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(readFileSync(path.join(root, pkg.bin.converge), 'utf8')).toContain("require('../dist/src/cli/main.js')");
  });
});

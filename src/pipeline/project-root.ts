import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** converge's own folder (where pipelines/, mappings/ and migrations/ live), from src or dist. */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'converge') return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

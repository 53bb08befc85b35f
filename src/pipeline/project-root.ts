import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * converge's own folder (its package: docs/*.schema.json, and in a checkout the fixtures), from
 * src or dist. Not where pipelines are looked up: that is the operator's projectDir().
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'converge') return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

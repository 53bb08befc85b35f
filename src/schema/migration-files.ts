import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ConvergeError } from '../core/errors';

export interface MigrationFile {
  /** The numeric or timestamp prefix: "0001" of "0001_init.sql". Ordered as strings of equal width. */
  version: string;
  name: string;
  file: string;
  sql: string;
  sha256: string;
}

const NAME = /^(\d+)_([A-Za-z0-9_.-]+)\.sql$/;

/** Lists the ordered migrations in a folder. A stray file is an error, not silently skipped. */
export async function readMigrationDir(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  } catch (e) {
    throw new ConvergeError('CONFIG_INVALID', `migration folder ${dir} cannot be read`, { file: dir }, { cause: e });
  }
  const out: MigrationFile[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    const m = NAME.exec(n);
    if (!m)
      throw new ConvergeError('CONFIG_INVALID', `migration file name must look like 0001_name.sql`, {
        file: path.join(dir, n),
      });
    if (seen.has(m[1]))
      throw new ConvergeError('CONFIG_INVALID', `two migrations share version ${m[1]}`, { file: path.join(dir, n) });
    seen.add(m[1]);
    const sql = await fsp.readFile(path.join(dir, n), 'utf8');
    out.push({
      version: m[1],
      name: m[2],
      file: path.join(dir, n),
      sql,
      sha256: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return out;
}

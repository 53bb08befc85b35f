import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConvergeError } from '../../core/errors';
import { ioError } from '../../core/private-files';
import { readMigrationDir } from '../migration-files';
import { LintFinding } from './lint-finding';
import { lintSql } from './lint-migrations';

export interface PipelineLintResult {
  pipeline: string;
  dir: string;
  /** The files checked, so "no findings" can be told apart from "nothing to check". */
  files: string[];
  findings: LintFinding[];
}

/** Lints `<migrationsRoot>/<pipeline>/postgres/*.sql`, the migrations that own the target schema. */
export async function lintPipeline(migrationsRoot: string, pipeline: string): Promise<PipelineLintResult> {
  if (!/^[A-Za-z0-9_-]+$/.test(pipeline)) {
    throw new ConvergeError('USAGE', `pipeline name ${JSON.stringify(pipeline)} must be a plain name`, {
      stage: 'schema',
    });
  }
  const dir = path.join(migrationsRoot, pipeline, 'postgres');
  if (!(await isDirectory(dir))) {
    const known = await pipelinesWithPostgres(migrationsRoot);
    throw new ConvergeError(
      'PIPELINE_UNKNOWN',
      `no Postgres migrations for pipeline ${pipeline}; known: ${known.join(', ') || 'none'}`,
      {
        stage: 'schema',
        file: dir,
      },
    );
  }
  const files = await readMigrationDir(dir);
  const findings: LintFinding[] = [];
  for (const f of files) findings.push(...(await lintSql(f.sql, f.file)));
  return { pipeline, dir, files: files.map((f) => f.file), findings };
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch (e) {
    // Absent is "no Postgres migrations"; unreadable is an error, not a pipeline silently skipped.
    if (isAbsent(e)) return false;
    throw ioError(e, `cannot read ${p}`, p);
  }
}

function isAbsent(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function pipelinesWithPostgres(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(root);
  } catch (e) {
    if (isAbsent(e)) return [];
    throw ioError(e, `cannot list ${root}`, root);
  }
  const out: string[] = [];
  for (const n of names.sort()) if (await isDirectory(path.join(root, n, 'postgres'))) out.push(n);
  return out;
}

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ConnectionInfo } from '../core/connection-url';
import { withDatabase } from '../core/connection-url';
import { loadMapping } from '../mapping/load-mapping';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { RUN_SCHEMA } from '../run/run-recorder';
import { recreateMysqlDatabase } from '../source/mysql/scratch-databases';
import { splitTarget } from '../target/postgres/catalog';
import { emptyScratchTables, resetScratchTarget } from '../target/postgres/scratch-databases';

/** What every run of a rehearsal (offline sample or online run) works on. */
export interface ScratchRun {
  pipeline: Pipeline;
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
}

/**
 * The reset before every run of a rehearsal: the scratch target emptied (its schemas dropped
 * and the pipeline's migrations applied again by the run, or, when the application owns the
 * schema, the mapped tables emptied), migrate's files removed, and, when it is to be seeded
 * again, the scratch source re-created. converge's own schema stays: the run history later
 * rehearsals compare with.
 */
export async function resetScratch(o: ScratchRun, reseed: boolean): Promise<void> {
  const p = o.pipeline;
  if (p.target.migrations) await resetScratchTarget(o.target, RUN_SCHEMA);
  else await emptyScratchTables(o.target, await mappedTargetTables(p));
  if (reseed) await recreateMysqlDatabase(withDatabase(o.source, undefined), o.source.database!);
  for (const sub of ['migrate', 'transform']) await fsp.rm(path.join(o.workDir, sub), { recursive: true, force: true });
}

/** The "schema.table" keys the mapping loads: what a load writes, so what a reset empties. */
async function mappedTargetTables(p: Pipeline): Promise<string[]> {
  const mapping = await loadMapping(pipelinePath(p, p.mapping));
  return [...mapping.tables.values()]
    .filter((t) => !t.skip)
    .map((t) => splitTarget(t.target, p.target.schema))
    .map((t) => `${t.schema}.${t.table}`);
}

import type { MysqlConnection } from '../source/mysql/connect';
import { ConvergeError } from '../core/errors';
import type { Pipeline } from './load-pipeline';
import { loadPipelineModule } from './load-module';

/**
 * The contract of a pipeline's `seed:` module (demo and rehearsal data, never a real source): it
 * exports `seed(conn, { scale, seed })`, which fills the freshly migrated scratch source database
 * `conn` is open on, deterministic for a given `seed`, roughly proportional to `scale`, and
 * returns the rows it wrote per table. converge opens and closes the connection.
 */
export type Seeder = (conn: MysqlConnection, opts: { scale: number; seed?: number }) => Promise<Record<string, number>>;

/** The pipeline's seeder, or undefined when it declares none. */
export function loadSeeder(p: Pipeline): Seeder | undefined {
  if (!p.seed) return undefined;
  const mod = loadPipelineModule(p, p.seed, 'seed');
  const seed = mod.seed;
  if (typeof seed !== 'function')
    throw new ConvergeError('CONFIG_INVALID', `seed: module ${p.seed} does not export a function named seed`, {
      file: p.file,
      key: 'seed',
      stage: 'config',
    });
  return seed as Seeder;
}

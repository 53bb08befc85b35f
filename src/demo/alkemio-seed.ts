import { ConvergeError } from '../core/errors';
import { MysqlConnection } from '../source/mysql/connect';
import { BatchLoader } from './alkemio-batch-loader';
import { findForeignKeyViolations } from './alkemio-fk-check';
import { AlkemioGraph } from './alkemio-graph';
import { AlkemioPrng } from './alkemio-prng';

export { ALKEMIO_HARD_VALUES } from './alkemio-hard-values';

export interface AlkemioSeedOptions {
  /** About a tenth of the rows written: scale 100000 writes roughly a million rows. */
  scale: number;
  /** Same seed, same data (ids, texts, dates). */
  seed?: number;
}

/**
 * Fills an empty MySQL legacy Alkemio schema (migrations/alkemio/mysql) with a realistic graph:
 * platform singletons, users and organizations with accounts, spaces at levels 0/1/2 with
 * collaborations, callouts and contributions, and the hard values listed in ALKEMIO_HARD_VALUES.
 * Rows go in as multi-row INSERTs with foreign-key checks off (the graph has a cycle); every
 * foreign key is then verified by query. Returns the rows written per table.
 */
export async function seedAlkemio(conn: MysqlConnection, opts: AlkemioSeedOptions): Promise<Record<string, number>> {
  if (!Number.isFinite(opts.scale) || opts.scale < 1) {
    throw new ConvergeError('USAGE', `seed scale must be a positive number, got ${opts.scale}`, { stage: 'demo' });
  }
  const [existing] = await conn.query('SELECT count(*) AS n FROM `platform`');
  if (Number((existing as Array<{ n: number | string }>)[0].n) > 0) {
    throw new ConvergeError(
      'TARGET_NOT_EMPTY',
      'the Alkemio demo database already has a platform row; seed an empty schema',
      { stage: 'demo', table: 'platform' },
    );
  }
  const loader = new BatchLoader(conn);
  const graph = new AlkemioGraph(new AlkemioPrng(opts.seed ?? 20240601), loader);
  const plan = planFor(opts.scale);
  graph.bigWhiteboards = plan.bigWhiteboards;

  // The graph has a cycle and self-references: FKs are checked by query afterwards instead.
  await conn.query('SET SESSION foreign_key_checks = 0');
  try {
    graph.platform();
    // Virtual contributors first, so users' conversations can talk to them (vc_interaction).
    for (let i = 0; i < plan.virtualContributors; i++) graph.virtualContributor();
    for (let i = 0; i < plan.users; i++) {
      graph.user();
      await loader.flushFull();
    }
    for (let i = 0; i < plan.organizations; i++) {
      graph.organization();
      await loader.flushFull();
    }
    for (let i = 0; i < plan.levelZeroSpaces; i++) {
      const account = graph.accounts[i % graph.accounts.length];
      const l0 = graph.space(account, null, plan.callouts);
      for (let j = 0; j < plan.subspaces; j++) {
        const l1 = graph.space(account, l0, plan.callouts);
        if (j % 2 === 0) graph.space(account, l1, plan.callouts);
      }
      await loader.flushFull();
    }
    graph.activities(2);
    graph.platformInvitation(null, null);
    await loader.flushAll();
  } finally {
    await conn.query('SET SESSION foreign_key_checks = 1');
  }

  const { violations } = await findForeignKeyViolations(conn);
  if (violations.length > 0) {
    const first = violations[0];
    throw new ConvergeError(
      'INTERNAL',
      `the Alkemio seed wrote ${violations.length} dangling foreign keys, first ${first.table}.${first.column} → ${first.referencedTable} (${first.rows} rows)`,
      {
        stage: 'demo',
        table: first.table,
        column: first.column,
        constraint: first.constraint,
      },
    );
  }
  return { ...loader.counts };
}

interface SeedPlan {
  users: number;
  organizations: number;
  virtualContributors: number;
  levelZeroSpaces: number;
  subspaces: number;
  callouts: number;
  bigWhiteboards: number;
}

/** Sizes calibrated so that total rows ≈ 10 × scale (authorization_policy about half of them). */
function planFor(scale: number): SeedPlan {
  return {
    users: Math.max(4, Math.round(scale / 45)),
    organizations: Math.max(2, Math.round(scale / 450)),
    virtualContributors: Math.max(1, Math.round(scale / 2000)),
    levelZeroSpaces: Math.max(1, Math.round(scale / 300)),
    subspaces: 3,
    callouts: 4,
    bigWhiteboards: Math.min(20, 1 + Math.floor(scale / 20000)),
  };
}

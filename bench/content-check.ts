import { ConnectionInfo } from '../src/core/connection-url';
import { openPg } from '../src/target/postgres/connect';
import { BenchTable, BENCH_TABLES } from './dataset';

export type TableDigest = { rows: number; checksum: string };
export type TargetDigest = Record<BenchTable, TableDigest>;

/**
 * Row count and an order-independent checksum of each bench table as the target holds it: the
 * sum of 60 bits of md5 over each row's text form. Every tool loads into the same typed columns,
 * so the same values print the same (jsonb, numeric scale, timestamp, bytea are normalised).
 */
export async function digestTarget(target: ConnectionInfo): Promise<TargetDigest> {
  const pg = await openPg(target, { applicationName: 'converge bench check' });
  try {
    const out: Partial<TargetDigest> = {};
    for (const t of BENCH_TABLES) {
      const { rows } = await pg.query(
        `SELECT count(*)::bigint AS n, coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint), 0)::text AS s FROM public.${t} r`,
      );
      out[t] = { rows: Number(rows[0].n), checksum: String(rows[0].s) };
    }
    return out as TargetDigest;
  } finally {
    await pg.end().catch(() => undefined);
  }
}

export async function truncateTarget(target: ConnectionInfo): Promise<void> {
  const pg = await openPg(target, { applicationName: 'converge bench reset' });
  try {
    await pg.query(`TRUNCATE ${BENCH_TABLES.map((t) => `public.${t}`).join(', ')} RESTART IDENTITY`);
    // The next tool should not pay for writing out the previous tool's dirty pages.
    await pg.query('CHECKPOINT');
  } finally {
    await pg.end().catch(() => undefined);
  }
}

export interface CheckVerdict {
  ok: boolean;
  problems: string[];
}

/**
 * A load is good when every table holds the source's row count and, when a reference load is
 * known, the same content. Missing rows are a failure whatever the tool's exit code said.
 */
export function judgeLoad(
  got: TargetDigest,
  expectedRows: Record<BenchTable, number>,
  reference?: { name: string; digest: TargetDigest },
): CheckVerdict {
  const problems: string[] = [];
  for (const t of BENCH_TABLES) {
    if (got[t].rows !== expectedRows[t]) problems.push(`${t}: ${got[t].rows} rows, the source has ${expectedRows[t]}`);
    else if (reference && got[t].checksum !== reference.digest[t].checksum)
      problems.push(`${t}: content differs from ${reference.name}'s load`);
  }
  return { ok: problems.length === 0, problems };
}

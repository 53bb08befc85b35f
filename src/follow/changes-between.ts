import { loadMapping } from '../mapping/load-mapping';
import { openMysql, useMysqlUtc } from '../source/mysql/connect';
import { BinlogPosition, comparePositions } from '../source/mysql/binlog/binlog-check';
import { openBinlogReader } from '../source/mysql/binlog/binlog-reader';
import { openPg } from '../target/postgres/connect';
import type { FollowOptions } from './run-follow';
import { prepareFollow } from './prepare-follow';

const QUIET_MS = 3000;

/**
 * Whether the source changed this pipeline's tables between two binary log positions: row
 * changes or a DDL/TRUNCATE naming one. Other databases on the same server may write on; the
 * switch only needs this pipeline's tables still. Reads the log, as the follower does.
 */
export async function changesBetween(
  o: Pick<FollowOptions, 'source' | 'target' | 'mappingDir' | 'exclude' | 'defaultSchema' | 'log'> & {
    from: BinlogPosition;
    to: BinlogPosition;
  },
): Promise<{ tables: string[] } | undefined> {
  if (comparePositions(o.to, o.from) <= 0) return undefined;
  const database = o.source.database!;
  const conn = await openMysql(o.source);
  const control = await openPg(o.target, { applicationName: 'converge cutover' });
  let plan: Awaited<ReturnType<typeof prepareFollow>>;
  try {
    await useMysqlUtc(conn);
    plan = await prepareFollow({
      conn,
      control,
      database,
      mapping: await loadMapping(o.mappingDir),
      exclude: o.exclude,
      defaultSchema: o.defaultSchema,
    });
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }
  const sources = new Map([...plan.tables.keys()].map((n) => [n, plan.sources.get(n)!]));
  const reader = openBinlogReader({
    source: o.source,
    database,
    from: o.from,
    tables: sources,
    ignore: plan.ignore,
    log: o.log,
  });
  const tables = new Set<string>();
  // The log's last event before `to` may be no commit (a rotation, a GTID list): then nothing
  // more arrives, and a quiet spell ends the read.
  let quiet = setTimeout(() => void reader.close(), QUIET_MS);
  try {
    for await (const ev of reader.events) {
      if (ev.kind === 'commit') for (const c of ev.changes) tables.add(c.table);
      else
        for (const t of ev.statement.tables)
          if (t.database === database && !plan.ignore.has(t.table)) tables.add(t.table);
      if (comparePositions(ev.position, o.to) >= 0) break;
      clearTimeout(quiet);
      quiet = setTimeout(() => void reader.close(), QUIET_MS);
    }
  } finally {
    clearTimeout(quiet);
    await reader.close();
  }
  return tables.size ? { tables: [...tables] } : undefined;
}

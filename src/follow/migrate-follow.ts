import { ConvergeError } from '../core/errors';
import { readManifest } from '../manifest';
import { loadMapping } from '../mapping/load-mapping';
import { openMysql, useMysqlUtc } from '../source/mysql/connect';
import { openPg } from '../target/postgres/connect';
import { FollowOptions, FollowResult, runFollow } from './run-follow';
import { ExistingKeys, prepareFollow, readExistingKeys } from './prepare-follow';

/** The follow's own options; where it starts comes from the load. */
export type MigrateFollowOptions = Omit<FollowOptions, 'start' | 'stopAt'>;

/**
 * `converge migrate --follow`, around the load: before it, everything that would make following
 * impossible is refused (binlog settings, keys, row policies) and the target's existing natural
 * keys are read; after it, the follow starts at the snapshot's binlog position (from the
 * migrate's manifest). The load itself is migrate's, unchanged (its proof waits for cutover:
 * the source keeps changing until then).
 */
export async function beforeMigrateFollow(o: MigrateFollowOptions): Promise<{
  afterLoad(load: { runId: string; manifestDir: string }, signal?: AbortSignal): Promise<FollowResult>;
}> {
  const database = o.source.database;
  if (!database)
    throw new ConvergeError('USAGE', 'the source URL names no database (mysql://…/DATABASE)', { stage: 'follow' });
  const mapping = await loadMapping(o.mappingDir);
  const conn = await openMysql(o.source);
  const control = await openPg(o.target, { applicationName: 'converge migrate --follow' });
  let existing: ExistingKeys;
  try {
    await useMysqlUtc(conn);
    const plan = await prepareFollow({
      conn,
      control,
      database,
      mapping,
      exclude: o.exclude,
      defaultSchema: o.defaultSchema,
    });
    existing = await readExistingKeys(control, plan);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }
  return {
    async afterLoad(load, signal) {
      const manifest = await readManifest(load.manifestDir, 'converge-transform/1');
      const binlog = manifest.snapshot?.binlog;
      if (!binlog)
        throw new ConvergeError(
          'BINLOG_UNSUITABLE',
          'the snapshot recorded no binary log position (the migration user needs REPLICATION CLIENT): nothing to follow from',
          { stage: 'follow' },
        );
      return runFollow({
        ...o,
        signal: signal ?? o.signal,
        start: {
          position: { file: binlog.file, position: binlog.position },
          gtid: binlog.gtid ?? null,
          runId: load.runId,
          existing,
        },
      });
    },
  };
}

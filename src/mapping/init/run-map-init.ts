import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { ioError, makeDirs } from '../../core/private-files';
import { readMysqlCatalog } from '../../source/mysql/catalog';
import { openMysql } from '../../source/mysql/connect';
import { findTable, readPgCatalog } from '../../target/postgres/catalog';
import { openPg, PgSession } from '../../target/postgres/connect';
import { countTargetRows } from '../../target/postgres/count-rows';
import { readCheckLabels } from '../check/column-labels';
import { probeSource } from '../check/probe-source';
import { otherTableSchemas, readUniqueIndexes } from '../../target/postgres/constraints';
import { draftMapping, TrackingTable } from './draft-mapping';
import { draftAsProbed, refineDraft } from './refine-draft';
import { markSeeded } from './mark-seeded';
import { renderDraftWithTodos, WrittenTodo } from './render-draft';

export interface MapInitOptions {
  source: ConnectionInfo;
  target: ConnectionInfo;
  targetSchema: string;
  excluded?: string[];
  keep?: string[];
  /** Where to write the draft. */
  file: string;
  /** First comment line of the draft. */
  title?: string;
  /** `$schema:` reference written into the draft, relative to it. */
  schemaRef?: string;
  /** Target tables the pipeline replaces wholesale (replaceSeeded): their seed rows need no TODO. */
  replaceSeeded?: string[];
  /** Read the source data to settle what the catalogs leave open (full scans, as map check --probe). */
  probe?: boolean;
  /** Tracking tables the pipeline declares, besides the migration tools' known ones. */
  tracking?: string[];
}

export interface MapInitResult {
  file: string;
  tables: number;
  /** Every TODO written into the file, with its line: exactly what the file holds. */
  todos: WrittenTodo[];
  /** Migration-tracking tables left out of the draft. */
  tracking: TrackingTable[];
  text: string;
}

/** Reads both catalogs and writes a draft mapping with TODOs. */
export async function runMapInit(opts: MapInitOptions): Promise<MapInitResult> {
  if (!opts.source.database) throw new ConvergeError('USAGE', 'the source URL names no database', { stage: 'config' });
  const my = await openMysql(opts.source);
  try {
    const pg = await openPg(opts.target, { applicationName: 'converge map init' });
    try {
      const source = await readMysqlCatalog(my, opts.source.database);
      const schemas = await userSchemas(pg, opts.targetSchema);
      const target = await readPgCatalog(pg, schemas);
      const checkLabels = await readCheckLabels(pg, schemas);
      let draft = draftMapping({
        source,
        target,
        targetSchema: opts.targetSchema,
        targetSchemas: schemas,
        checkLabels,
        excluded: opts.excluded,
        keep: opts.keep,
        tracking: opts.tracking,
      });
      draft = markSeeded(
        draft,
        target,
        await countTargetRows(
          pg,
          draft.tables.map((t) => t.targetKey),
        ),
        new Set(opts.replaceSeeded ?? []),
      );
      if (opts.probe) {
        const targetOf = (name: string) => findTable(target, opts.targetSchema, name);
        draft = refineDraft(
          draft,
          await probeSource(my, draftAsProbed(draft), source, targetOf, await readUniqueIndexes(pg, schemas)),
        );
      }
      const { text, todos } = renderDraftWithTodos(draft, {
        title: opts.title ?? `MySQL ${opts.source.database} → Postgres schema ${opts.targetSchema}`,
        schemaRef: opts.schemaRef,
      });
      try {
        await makeDirs(path.dirname(opts.file));
        await fsp.writeFile(opts.file, text);
      } catch (e) {
        throw ioError(e, `cannot write ${opts.file}`, opts.file);
      }
      return { file: opts.file, tables: draft.tables.length, todos, tracking: draft.trackingTables, text };
    } finally {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await pg.end().catch(() => undefined);
    }
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await my.end().catch(() => undefined);
  }
}

/**
 * The schemas a draft may target: the pipeline's own, plus every other user schema that holds
 * tables (multi-schema targets), never the system schemas or converge's run history.
 */
async function userSchemas(pg: PgSession, main: string): Promise<string[]> {
  return [...new Set([main, ...(await otherTableSchemas(pg))])];
}

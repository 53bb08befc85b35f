import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { ioError } from '../../core/private-files';
import { readMysqlCatalog } from '../../source/mysql/catalog';
import { openMysql } from '../../source/mysql/connect';
import { readPgCatalog } from '../../target/postgres/catalog';
import { openPg } from '../../target/postgres/connect';
import { readCheckLabels } from '../check/column-labels';
import { DraftTodo, draftMapping } from './draft-mapping';
import { renderDraft } from './render-draft';

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
}

export interface MapInitResult {
  file: string;
  tables: number;
  todos: DraftTodo[];
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
      const target = await readPgCatalog(pg, [opts.targetSchema]);
      const checkLabels = await readCheckLabels(pg, [opts.targetSchema]);
      const draft = draftMapping({ source, target, targetSchema: opts.targetSchema, checkLabels, excluded: opts.excluded, keep: opts.keep });
      const text = renderDraft(draft, { title: opts.title ?? `MySQL ${opts.source.database} → Postgres schema ${opts.targetSchema}`, schemaRef: opts.schemaRef });
      try {
        await fsp.mkdir(path.dirname(opts.file), { recursive: true });
        await fsp.writeFile(opts.file, text);
      } catch (e) {
        throw ioError(e, `cannot write ${opts.file}`, opts.file);
      }
      return { file: opts.file, tables: draft.tables.length, todos: draft.todos, text };
    } finally {
      await pg.end().catch(() => undefined);
    }
  } finally {
    await my.end().catch(() => undefined);
  }
}

import type { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { readMysqlCatalog } from '../../source/mysql/catalog';
import { openMysql } from '../../source/mysql/connect';
import { findTable, readPgCatalog } from '../../target/postgres/catalog';
import { openPg } from '../../target/postgres/connect';
import { loadMapping } from '../load-mapping';
import { trackingTableProblems } from './tracking-tables';
import { checkMapping } from './check-mapping';
import { readCheckLabels } from './column-labels';
import type { MappingProblem } from './mapping-problem';
import { probeSource } from './probe-source';
import { countTargetRows } from '../../target/postgres/count-rows';
import { readUniqueIndexes } from '../../target/postgres/constraints';

export interface MapCheckOptions {
  mappingDir: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
  targetSchema: string;
  /** Source tables the pipeline never exports. */
  excluded?: string[];
  /** Target tables the pipeline replaces wholesale (replaceSeeded). */
  replaceSeeded?: string[];
  /** Read the source data for values, lengths and NULL counts (full scans). */
  probe?: boolean;
  /** Tracking tables the pipeline declares, besides the migration tools' known ones. */
  tracking?: string[];
}

export interface MapCheckResult {
  problems: MappingProblem[];
  errors: number;
  warnings: number;
}

/** Loads the mapping, reads both catalogs (and, with probe, the data), and lists every problem. */
export async function runMapCheck(opts: MapCheckOptions): Promise<MapCheckResult> {
  if (!opts.source.database) throw new ConvergeError('USAGE', 'the source URL names no database', { stage: 'config' });
  const mapping = await loadMapping(opts.mappingDir);
  const my = await openMysql(opts.source);
  try {
    const pg = await openPg(opts.target, { applicationName: 'converge map check' });
    try {
      const source = await readMysqlCatalog(my, opts.source.database);
      const schemas = [
        ...new Set([
          opts.targetSchema,
          ...[...mapping.tables.values()]
            .map((t) => t.target)
            .filter((t) => t.includes('.'))
            .map((t) => t.slice(0, t.indexOf('.'))),
        ]),
      ];
      const target = await readPgCatalog(pg, schemas);
      const checkLabels = await readCheckLabels(pg, schemas);
      const targetOf = (name: string) => findTable(target, opts.targetSchema, name);
      const probe = opts.probe
        ? await probeSource(my, mapping, source, targetOf, await readUniqueIndexes(pg, schemas))
        : undefined;
      const loaded = [...mapping.tables.values()]
        .filter((t) => !t.skip)
        .map((t) => targetOf(t.target))
        .filter((t): t is NonNullable<typeof t> => !!t);
      const targetRows = await countTargetRows(
        pg,
        loaded.map((t) => `${t.schema}.${t.name}`),
      );
      const problems = checkMapping({
        mapping,
        source,
        target,
        targetSchema: opts.targetSchema,
        checkLabels,
        excluded: opts.excluded,
        probe,
        targetRows,
        replaced: new Set(opts.replaceSeeded ?? []),
      }).concat(trackingTableProblems(mapping, opts.tracking));
      const errors = problems.filter((p) => p.severity === 'error').length;
      return { problems, errors, warnings: problems.length - errors };
    } finally {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await pg.end().catch(() => undefined);
    }
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await my.end().catch(() => undefined);
  }
}

import type { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, isConvergeError } from '../core/errors';
import { MysqlTable, readMysqlCatalog } from '../source/mysql/catalog';
import { openMysql } from '../source/mysql/connect';
import { findTable, PgTable, readPgCatalog } from '../target/postgres/catalog';
import { openPg, PgSession } from '../target/postgres/connect';
import { loadMapping, Mapping } from '../mapping/load-mapping';
import { checkMapping } from '../mapping/check/check-mapping';
import { readCheckLabels } from '../mapping/check/column-labels';
import { trackingTableProblems } from '../mapping/check/tracking-tables';
import type { MappingProblem } from '../mapping/check/mapping-problem';
import { probePrograms } from './probe-program';
import type { ProbeTally, ChangeFinding, ProbedTable } from './probe-tally';
import { openSnapshot } from '../source/mysql/snapshot';
import { ensureRowReaderInternals } from '../source/mysql/driver-internals';
import { mysqlKeyPairs } from '../source/mysql/key-pairs';
import { buildLookups } from '../transform/lookups';
import { silentLogger } from '../core/logger';
import { countTargetRows } from '../target/postgres/count-rows';
import { readUniqueIndexes } from '../target/postgres/constraints';
import { existingKeys } from '../target/postgres/lookups';

export interface MapCheckOptions {
  mappingDir: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
  targetSchema: string;
  /** Source tables the pipeline never exports. */
  excluded?: string[];
  /** Target tables the pipeline replaces wholesale (replaceSeeded). */
  replaceSeeded?: string[];
  /** Stream the source data through the table program (full scans, one snapshot). */
  probe?: boolean;
  /** With probe: read at most this many rows of each table (the first in key order). */
  sample?: number;
  /** Tracking tables the pipeline declares, besides the migration tools' known ones. */
  tracking?: string[];
  /** The pipeline will be followed (migrate --follow): also list what the follow refuses. */
  follow?: boolean;
}

export interface MapCheckResult {
  problems: MappingProblem[];
  errors: number;
  warnings: number;
  /** With probe: what the program changed (counted, declared), per table, column and kind, and what was read. */
  probe?: {
    changes: ChangeFinding[];
    tables: ProbedTable[];
    rows: number;
    bytes: number;
    seconds: number;
    sample?: number;
  };
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
        ? await probeData(opts.source, pg, mapping, source, targetOf, checkLabels, schemas, opts)
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
        probed: !!probe,
        targetRows,
        replaced: new Set(opts.replaceSeeded ?? []),
        follow: opts.follow,
      });
      problems.push(...trackingTableProblems(mapping, opts.tracking));
      if (probe) problems.push(...probe.problems());
      const errors = problems.filter((p) => p.severity === 'error').length;
      return {
        problems,
        errors,
        warnings: problems.length - errors,
        probe: probe && {
          changes: [...probe.changes.values()],
          tables: probe.tables,
          ...probe.totals(),
          sample: probe.sample,
        },
      };
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
 * Reads every mapped table through the table program on one connection of one snapshot (as
 * migrate reads it), with the lookups the transform would use. A lookup that cannot be built is
 * left out (the static checks report why); its remap is then not applied by the probe.
 */
async function probeData(
  sourceInfo: ConnectionInfo,
  pg: PgSession,
  mapping: Mapping,
  source: MysqlTable[],
  targetOf: (name: string) => PgTable | undefined,
  checkLabels: Map<string, string[]>,
  schemas: string[],
  opts: MapCheckOptions,
): Promise<ProbeTally> {
  ensureRowReaderInternals();
  const snap = await openSnapshot(sourceInfo, 1, silentLogger());
  try {
    const conn = snap.connections[0];
    let lookups = new Map<string, Map<string, string>>();
    try {
      lookups = await buildLookups(mapping, mysqlKeyPairs(conn), pg, opts.targetSchema);
    } catch (e) {
      if (!isConvergeError(e)) throw e;
    }
    return await probePrograms(conn, mapping, source, targetOf, {
      sample: opts.sample,
      lookups,
      uniques: await readUniqueIndexes(pg, schemas),
      checkLabels,
      existing: await readHeldKeys(pg, mapping, targetOf),
      keyOf: (t) => `${t.schema}.${t.name}`,
    });
  } finally {
    await snap.close();
  }
}

/**
 * The natural keys the target already holds for each table with an `existing` policy (read as
 * transform and migrate read them), so the probe applies skip, replace and fail as the load
 * will. A key naming a column the target lacks is left out: the static checks report it.
 */
async function readHeldKeys(
  pg: PgSession,
  mapping: Mapping,
  targetOf: (name: string) => PgTable | undefined,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const rule of mapping.tables.values()) {
    const tgt = targetOf(rule.target);
    const ex = rule.existing;
    if (rule.skip || !tgt || !ex || !ex.key.every((k) => tgt.columns.some((c) => c.name === k))) continue;
    out.set(`${tgt.schema}.${tgt.name}`, await existingKeys(pg, tgt.schema, tgt.name, ex.key));
  }
  return out;
}

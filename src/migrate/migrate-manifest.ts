import { CSV_DIALECT, Manifest, ManifestTable } from '../manifest';
import type { TableOutcome } from './load-migrate-group';
import type { MigrateTable } from './migrate-tables';

/**
 * What `converge migrate` records: a transform manifest (converge-transform/1) of the rows it
 * loaded, so `converge verify` proves a fused load exactly as a staged one. With --keep-files
 * every table's CSV sits beside it with its sha256, and `converge import` can load them again;
 * without, `fused.filesKept` is false, the entries carry no digest and name files never written.
 */
export type FusedManifest = Manifest & { fused: { filesKept: boolean; paths: Record<string, 'streamed' | 'staged'> } };

export function fusedManifest(o: {
  runId: string;
  pipeline: string;
  source: Manifest['source'];
  snapshot: Manifest['snapshot'];
  targetSchema: string;
  excluded: string[];
  tables: MigrateTable[];
  outcomes: Map<string, TableOutcome>;
  filesKept: boolean;
  createdAt: string;
}): FusedManifest {
  const tables: Record<string, ManifestTable> = {};
  const paths: Record<string, 'streamed' | 'staged'> = {};
  for (const t of o.tables) {
    const r = o.outcomes.get(t.key);
    if (!r) continue;
    const dropped = r.rowsIn - r.rows;
    tables[t.targetName] = {
      name: t.targetName,
      sourceTable: t.source.name,
      file: `${t.targetName}.csv`,
      columns: t.compiled.targetColumns.map((c) => ({ name: c, encoding: 'text' })),
      rows: r.rows,
      rowsIn: r.rowsIn,
      bytes: o.filesKept ? r.bytes : 0,
      sha256: o.filesKept ? (r.sha256 ?? '') : '',
      seconds: r.seconds,
      status: 'complete',
      changes: t.compiled.ledger.counts,
      droppedRows: dropped ? { total: dropped } : undefined,
      existing: t.rule.existing,
    };
    paths[t.targetName] = r.path;
  }
  return {
    format: 'converge-transform/1',
    runId: o.runId,
    pipeline: o.pipeline,
    createdAt: o.createdAt,
    completedAt: new Date().toISOString(),
    source: o.source,
    snapshot: o.snapshot,
    targetSchema: o.targetSchema,
    csv: CSV_DIALECT,
    tables,
    excluded: o.excluded,
    fused: { filesKept: o.filesKept, paths },
  };
}

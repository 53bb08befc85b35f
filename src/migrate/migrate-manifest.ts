import { CSV_DIALECT, Manifest, ManifestTable } from '../manifest';
import type { TableOutcome } from './load-migrate-group';
import type { MigrateTable } from './migrate-tables';
import { transformedEntry } from '../transform/table-program';

/**
 * What `converge migrate` records: a transform manifest (converge-transform/1) of the rows it
 * loaded, so `converge verify` proves a fused load exactly as a staged one. With --keep-files
 * every table's CSV sits beside it with its sha256, and `converge import` can load them again;
 * without, `fused.filesKept` is false, the entries carry no digest and name files never written.
 */
export type MigrateManifest = Manifest & {
  fused: { filesKept: boolean; paths: Record<string, 'streamed' | 'staged'> };
};

export function migrateManifest(o: {
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
}): MigrateManifest {
  const tables: Record<string, ManifestTable> = {};
  const paths: Record<string, 'streamed' | 'staged'> = {};
  for (const t of o.tables) {
    const r = o.outcomes.get(t.key);
    if (!r) continue;
    tables[t.targetName] = transformedEntry(t, {
      ...r,
      bytes: o.filesKept ? r.bytes : 0,
      sha256: o.filesKept ? (r.sha256 ?? '') : '',
    });
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

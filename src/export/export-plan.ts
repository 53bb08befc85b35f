import { createHash } from 'node:crypto';
import type { KeyRange, ManifestChunk, ManifestColumn, ManifestTable } from '../manifest';

/** File of a chunk: `<table>.csv` for a table in one piece, `<table>.00001.csv` … otherwise. */
export function chunkFile(table: string, index: number, count: number): string {
  return count <= 1 ? `${table}.csv` : `${table}.${String(index + 1).padStart(5, '0')}.csv`;
}

/** A table entry before any chunk is written: every chunk pending. */
export function plannedTable(name: string, columns: ManifestColumn[], ranges: KeyRange[]): ManifestTable {
  const parts: Array<KeyRange | null> = ranges.length ? ranges : [null];
  const chunks: ManifestChunk[] = parts.map((range, i) => ({
    file: chunkFile(name, i, parts.length),
    range,
    status: 'pending',
  }));
  return summarise({
    name,
    file: chunks[0].file,
    files: chunks.map((c) => c.file),
    chunks,
    columns,
    rows: 0,
    bytes: 0,
    sha256: '',
    seconds: 0,
    status: 'partial',
  });
}

/** Recomputes a table's totals from its chunks; complete when every chunk is. */
export function summarise(t: ManifestTable): ManifestTable {
  const chunks = t.chunks ?? [];
  const done = chunks.filter((c) => c.status === 'complete');
  const complete = done.length === chunks.length;
  t.rows = done.reduce((n, c) => n + (c.rows ?? 0), 0);
  t.bytes = done.reduce((n, c) => n + (c.bytes ?? 0), 0);
  t.status = complete ? 'complete' : 'partial';
  t.sha256 = !complete
    ? ''
    : chunks.length === 1
      ? chunks[0].sha256!
      : createHash('sha256')
          .update(chunks.map((c) => c.sha256).join('\n'))
          .digest('hex');
  return t;
}

export type ResumeDecision =
  | { kind: 'keep'; entry: ManifestTable }
  | { kind: 'continue'; entry: ManifestTable; redo: number[]; stale: string[] }
  | { kind: 'fresh'; stale: string[] };

/**
 * What --resume does with one table of the previous manifest: keep it when every file still
 * has its recorded sha256; continue its key plan, redoing only the chunks whose files are
 * missing, changed or never completed; or start afresh when the columns changed (or there is
 * nothing to go on). `stale` lists files of the old entry that must be deleted first.
 */
export async function decideResume(
  prev: ManifestTable | undefined,
  columns: ManifestColumn[],
  fileMatches: (file: string, sha256: string) => Promise<boolean>,
): Promise<ResumeDecision> {
  if (!prev) return { kind: 'fresh', stale: [] };
  const chunks: ManifestChunk[] = prev.chunks?.length
    ? prev.chunks.map((c) => ({ ...c }))
    : [
        {
          file: prev.file,
          range: null,
          status: prev.status === 'complete' ? 'complete' : 'pending',
          rows: prev.rows,
          bytes: prev.bytes,
          sha256: prev.sha256,
          seconds: prev.seconds,
        },
      ];
  const files = chunks.map((c) => c.file);
  if (JSON.stringify(prev.columns) !== JSON.stringify(columns)) return { kind: 'fresh', stale: files };
  const redo: number[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    if (c.status === 'complete' && c.sha256 && (await fileMatches(c.file, c.sha256))) continue;
    chunks[i] = { file: c.file, range: c.range, status: 'pending' };
    redo.push(i);
  }
  const entry = summarise({ ...prev, files, chunks });
  if (!redo.length) return { kind: 'keep', entry };
  return { kind: 'continue', entry, redo, stale: redo.map((i) => chunks[i].file) };
}

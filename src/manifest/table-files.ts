import type { ManifestTable } from './manifest-schema';

/** The files of a table in key order, for any manifest (older ones list only file). */
export function tableFiles(t: Pick<ManifestTable, 'file' | 'files'>): string[] {
  return t.files?.length ? t.files : [t.file];
}

/** Each file of a table with the sha256 and rows the manifest recorded for that file. */
export function tableFileDigests(
  t: Pick<ManifestTable, 'file' | 'files' | 'chunks' | 'sha256' | 'rows'>,
): Array<{ file: string; sha256: string; rows: number }> {
  if (t.chunks?.length) return t.chunks.map((c) => ({ file: c.file, sha256: c.sha256 ?? '', rows: c.rows ?? 0 }));
  return [{ file: t.file, sha256: t.sha256, rows: t.rows }];
}

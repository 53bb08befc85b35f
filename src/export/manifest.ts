import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { writeFileAtomic } from '../core/private-files';
import type { ChangeCounts } from '../transform/change-ledger';

export interface ManifestColumn {
  name: string;
  /** Source type as the server declares it (e.g. char(36), tinyint(1)); absent for transformed files. */
  sourceType?: string;
  dataType?: string;
  nullable?: boolean;
  encoding: 'text' | 'hex';
}

/**
 * One key range of a table in its own CSV file (with its own header line). A chunk is marked
 * 'complete', with rows, bytes and sha256, only after its file was fully written and synced.
 */
export interface ManifestChunk {
  file: string;
  /** Primary-key bounds; null for a table exported whole. */
  range: KeyRange | null;
  status: 'complete' | 'pending';
  rows?: number;
  bytes?: number;
  sha256?: string;
  seconds?: number;
}

/**
 * Primary-key bounds of a chunk: rows with key > after (exclusive) and key <= upTo (inclusive),
 * compared column by column in key order; an absent bound is open. Values are the key columns'
 * export text (binary keys as \x hex).
 */
export interface KeyRange {
  key: string[];
  after?: string[];
  upTo?: string[];
}

export interface ManifestTable {
  name: string;
  /** The first (or only) file of the table; see files for chunked tables. */
  file: string;
  /** Every file of the table in primary-key order (export manifests; absent means [file]). */
  files?: string[];
  /** Export only: the files with their key ranges and digests, in the order of files. */
  chunks?: ManifestChunk[];
  columns: ManifestColumn[];
  /** Totals over all files. */
  rows: number;
  bytes: number;
  /** sha256 of the file; for a table in several files, of its chunks' sha256 values joined by '\n'. */
  sha256: string;
  seconds: number;
  /**
   * Only 'complete' entries are trusted; a manifest is rewritten after each chunk is synced.
   * 'partial' appears only in a manifest whose run did not finish (what --resume reads).
   */
  status: 'complete' | 'partial';
  // Transform-only fields:
  sourceTable?: string;
  rowsIn?: number;
  changes?: ChangeCounts;
  droppedRows?: Record<string, number>;
  existing?: { key: string[]; policy: 'replace' | 'skip' | 'fail' };
}

export interface Manifest {
  format: 'converge-export/1' | 'converge-transform/1';
  runId: string;
  pipeline: string;
  createdAt: string;
  completedAt?: string;
  source: { descriptor: string; database: string; serverVersion: string };
  snapshot?: {
    method: string;
    binlog?: { file: string; position: number } | null;
    timeZone: string;
    /** Set when --resume kept files written under an earlier snapshot: that snapshot. */
    earlier?: { runId: string; method: string; binlog?: { file: string; position: number } | null };
  };
  targetSchema?: string;
  csv: { delimiter: ','; nullAs: 'unquoted empty'; header: true; binary: '\\x hex' };
  tables: Record<string, ManifestTable>;
  /** Tables excluded on purpose (e.g. schema_migration): listed so nobody wonders. */
  excluded?: string[];
}

export const MANIFEST_FILE = 'manifest.json';

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
export const CSV_DIALECT: Manifest['csv'] = {
  delimiter: ',',
  nullAs: 'unquoted empty',
  header: true,
  binary: '\\x hex',
};

export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
}

export async function readManifest(dir: string, expect?: Manifest['format']): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new ConvergeError('MANIFEST_INVALID', `no manifest in ${dir}: run the previous stage first`, { file });
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new ConvergeError('MANIFEST_INVALID', `manifest is not valid JSON: ${(e as Error).message}`, { file });
  }
  if (expect && m.format !== expect)
    throw new ConvergeError('MANIFEST_INVALID', `manifest format is ${m.format}, expected ${expect}`, { file });
  if (!m.completedAt)
    throw new ConvergeError(
      'MANIFEST_INVALID',
      'manifest is from a run that did not complete; re-run that stage (with --resume where it applies)',
      { file },
    );
  return m;
}

/** Reads a manifest even when its run did not finish (for --resume). */
export async function readPartialManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

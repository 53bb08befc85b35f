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

export interface ManifestTable {
  name: string;
  file: string;
  columns: ManifestColumn[];
  rows: number;
  bytes: number;
  sha256: string;
  seconds: number;
  /** Only 'complete' entries are trusted; a manifest is rewritten after each table is synced. */
  status: 'complete';
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
  snapshot?: { method: string; binlog?: { file: string; position: number } | null; timeZone: string };
  targetSchema?: string;
  csv: { delimiter: ','; nullAs: 'unquoted empty'; header: true; binary: '\\x hex' };
  tables: Record<string, ManifestTable>;
  /** Tables excluded on purpose (e.g. schema_migration): listed so nobody wonders. */
  excluded?: string[];
}

export const MANIFEST_FILE = 'manifest.json';
export const CSV_DIALECT: Manifest['csv'] = { delimiter: ',', nullAs: 'unquoted empty', header: true, binary: '\\x hex' };

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
  if (expect && m.format !== expect) throw new ConvergeError('MANIFEST_INVALID', `manifest format is ${m.format}, expected ${expect}`, { file });
  if (!m.completedAt) throw new ConvergeError('MANIFEST_INVALID', 'manifest is from a run that did not complete; re-run that stage (with --resume where it applies)', { file });
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

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { Manifest, MANIFEST_FILE, ManifestFormat, ManifestSchema } from './manifest-schema';

/** The command that writes each manifest format, for the "run the previous stage first" advice. */
const PREVIOUS: Record<string, string> = {
  'converge-export/1': 'converge export',
  'converge-transform/1': 'converge transform, or converge migrate --keep-files',
};

/**
 * The manifest a stage continues from. Missing means "run the previous stage first"; a manifest
 * that exists but cannot be read or does not parse is an error naming the file and the cause,
 * never "missing": a stage that guessed would redo or skip work it should not.
 */
export async function readManifest(dir: string, expect?: ManifestFormat): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await readManifestText(file);
  if (text === undefined)
    throw new ConvergeError(
      'MANIFEST_INVALID',
      `no manifest in ${dir}: run the previous stage first${PREVIOUS[expect ?? ''] ? ` (${PREVIOUS[expect!]})` : ''}`,
      { file },
    );
  const m = parseManifest(text, file);
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

/**
 * Reads a manifest even when its run did not finish (for --resume and for the run id a stage
 * continues). Only a manifest that does not exist is undefined.
 */
export async function readPartialManifest(dir: string): Promise<Manifest | undefined> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await readManifestText(file);
  return text === undefined ? undefined : parseManifest(text, file);
}

/** The manifest's text, or undefined when the file does not exist; any other failure is IO_FAILED. */
async function readManifestText(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') return undefined;
    throw ioError(e, `cannot read manifest ${file}`, file);
  }
}

/** Parses and checks a manifest's text; file is only for the error. */
export function parseManifest(text: string, file: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConvergeError(
      'MANIFEST_INVALID',
      `manifest is not valid JSON (corrupt or truncated): ${(e as Error).message}`,
      { file },
      { cause: e },
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const listed = issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new ConvergeError(
      'MANIFEST_INVALID',
      `manifest does not have the expected shape: ${listed}${more}`,
      { file },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

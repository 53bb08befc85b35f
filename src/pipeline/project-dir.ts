import path from 'node:path';

/**
 * The operator's project folder, where pipelines/ and mappings/ live: `--project DIR`, else
 * CONVERGE_PROJECT, else the current folder. Never converge's own install folder
 * (projectRoot()): an installed converge is read-only code, the operator's files are theirs.
 */
export function projectDir(flag?: string): string {
  return path.resolve(flag ?? process.env.CONVERGE_PROJECT ?? process.cwd());
}

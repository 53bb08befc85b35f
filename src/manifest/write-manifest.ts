import path from 'node:path';
import { writeFileAtomic } from '../core/private-files';
import { Manifest, MANIFEST_FILE } from './manifest-schema';

/** Atomic, so a reader (or --resume after a crash) never sees half a manifest. */
export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
}

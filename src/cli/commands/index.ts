import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';

/** A command module adds itself to the program; setExit records the exit code it wants. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

/**
 * Every module in this folder that exports `register` is a command: adding a command is adding
 * a file. Discovered at start-up (from .ts under the test runner, .js when built); `only`
 * picks modules by base name, so a run of one command need not load them all.
 */
export function discoverCommands(dir = __dirname, only?: (file: string) => boolean): RegisterCommand[] {
  const ext = path.extname(__filename);
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`) && f !== `index${ext}`)
    .filter((f) => !only || only(path.basename(f, ext)))
    .sort()
    .map((f) => (require(path.join(dir, f)) as { register?: RegisterCommand }).register)
    .filter((r): r is RegisterCommand => typeof r === 'function');
}

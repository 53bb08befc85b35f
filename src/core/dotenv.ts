import { existsSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';

/**
 * Reads ./.env (or CONVERGE_ENV_FILE) into process.env without overriding what the
 * environment already holds: flags beat the environment, the environment beats .env.
 * Returns the names it set, so `converge env` can say where each value came from.
 */
export function loadDotEnv(file = process.env.CONVERGE_ENV_FILE ?? path.resolve('.env')): Set<string> {
  const fromFile = new Set<string>();
  if (!existsSync(file)) return fromFile;
  const parsed = dotenv.parse(require('node:fs').readFileSync(file));
  for (const [k, v] of Object.entries(parsed)) {
    if (process.env[k] === undefined) {
      process.env[k] = v;
      fromFile.add(k);
    }
  }
  DOTENV_KEYS = fromFile;
  return fromFile;
}

/** Names that came from the .env file in this process (empty before loadDotEnv). */
export let DOTENV_KEYS: Set<string> = new Set();

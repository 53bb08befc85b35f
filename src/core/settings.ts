import { ConnectionInfo, parseConnectionUrl } from './connection-url';
import { DOTENV_KEYS } from './dotenv';
import { ConvergeError } from './errors';

/** Where a setting's value came from, for `converge env` and doctor. */
export type Provenance = 'flag' | 'env' | 'dotenv' | 'default';

export interface Resolved<T> {
  value: T;
  from: Provenance;
  name: string;
}

/** Flag beats environment beats .env beats default. */
export function resolveSetting(flag: string | undefined, envName: string, fallback?: string): Resolved<string> | undefined {
  if (flag !== undefined && flag !== '') return { value: flag, from: 'flag', name: envName };
  const env = process.env[envName];
  if (env !== undefined && env !== '') return { value: env, from: DOTENV_KEYS.has(envName) ? 'dotenv' : 'env', name: envName };
  if (fallback !== undefined) return { value: fallback, from: 'default', name: envName };
  return undefined;
}

export const DEFAULT_SOURCE_URL = 'mysql://root@127.0.0.1:3306';
export const DEFAULT_TARGET_URL = 'postgres://postgres@127.0.0.1:5432';

export function resolveSource(flag: string | undefined, fallback?: string): ConnectionInfo {
  const r = resolveSetting(flag, 'CONVERGE_SOURCE_URL', fallback);
  if (!r) throw new ConvergeError('USAGE', 'no source: pass --source mysql://user:password@host:3306/database or set CONVERGE_SOURCE_URL');
  return parseConnectionUrl(r.value, 'mysql', r.from === 'flag' ? '--source' : 'CONVERGE_SOURCE_URL');
}

export function resolveTarget(flag: string | undefined, fallback?: string): ConnectionInfo {
  const r = resolveSetting(flag, 'CONVERGE_TARGET_URL', fallback);
  if (!r) throw new ConvergeError('USAGE', 'no target: pass --target postgres://user:password@host:5432/database or set CONVERGE_TARGET_URL');
  return parseConnectionUrl(r.value, 'postgres', r.from === 'flag' ? '--target' : 'CONVERGE_TARGET_URL');
}

import { advise } from '../../mapping/value-advice';
import { ValueError } from './value-error';

/**
 * Validates JSON text. jsonb (not json) rejects the \u0000 escape, so it is caught here with a
 * clear message instead of a COPY failure. The text is kept: Postgres re-serialises it anyway.
 */
export function jsonValue(v: string, jsonb: boolean): string {
  try {
    JSON.parse(v);
  } catch (e) {
    throw new ValueError(
      'JSON_INVALID',
      `invalid JSON (${(e as Error).message.slice(0, 80)}): ${JSON.stringify(v.slice(0, 60))}; ${advise('json-invalid').words}`,
      'json-invalid',
    );
  }
  if (jsonb && v.includes('\\u0000') && /(^|[^\\])(\\\\)*\\u0000/.test(v))
    throw new ValueError(
      'JSON_INVALID',
      `JSON holds \\u0000, which jsonb cannot store; ${advise('nul-in-jsonb', { kind: 'jsonb' }).words}`,
      'nul-in-jsonb',
    );
  return v;
}

/** Canonical text of a JSON value (sorted keys, no spaces) so two serialisations compare by value. */
export function canonicalJson(text: string): string {
  return stableStringify(JSON.parse(text));
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const keys = Object.keys(v as object).sort();
  return (
    '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify((v as Record<string, unknown>)[k])).join(',') + '}'
  );
}

import { DEFAULT_FALSE, DEFAULT_TRUE } from '../../mapping/boolean-spellings';
import { advise } from '../../mapping/value-advice';
import { ValueError } from './value-error';

/**
 * tinyint(1) / bit(1) / 'Y'/'N' → Postgres boolean text ('t'/'f'). bit(1) exports as 0/1.
 * A value outside both lists (tinyint 2, say) is an error: MySQL let it in, Postgres has no such boolean.
 */
/** The spellings a rule declares beyond the defaults: reading one is a change the ledger counts. */
export function respelledBooleans(trueValues?: string[], falseValues?: string[]): Set<string> {
  return new Set([
    ...(trueValues ?? []).filter((v) => !DEFAULT_TRUE.includes(v)),
    ...(falseValues ?? []).filter((v) => !DEFAULT_FALSE.includes(v)),
  ]);
}

export function makeBoolean(trueValues = DEFAULT_TRUE, falseValues = DEFAULT_FALSE): (v: string) => string {
  const t = new Set(trueValues);
  const f = new Set(falseValues);
  return (v: string) => {
    if (t.has(v)) return 't';
    if (f.has(v)) return 'f';
    throw new ValueError(
      'VALUE_INVALID',
      `not a boolean: ${JSON.stringify(v)} (true: ${[...t].join('/')}, false: ${[...f].join('/')}); ${advise('boolean-unread', {}, { values: [v], trueValues, falseValues }).words}`,
      'boolean-unread',
    );
  };
}

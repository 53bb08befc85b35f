import type { Document } from 'yaml';
import { ConvergeError, ErrorCode, messageOf } from './errors';

/**
 * Aliases a document may resolve. A hand-written config needs a handful; a "billion laughs"
 * document (aliases of aliases) would expand to gigabytes and stall the process instead.
 */
const MAX_ALIASES = 100;

/** A parsed YAML document as plain values; an alias bomb is bad input naming its file, not a crash. */
export function yamlValue(doc: Document, file: string, code: ErrorCode): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new ConvergeError(
      code,
      `YAML: ${messageOf(e)} (more than ${MAX_ALIASES} alias expansions; write the values out)`,
      { file, stage: 'config' },
      { cause: e },
    );
  }
}

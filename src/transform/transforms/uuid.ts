import { advise } from '../../mapping/value-advice';
import { ValueError } from './value-error';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** CHAR(36) text → canonical lower-case uuid. Anything else (junk, '', braces) is an error. */
export function uuidFromText(v: string): string {
  // Hot path: already canonical (36 characters, lower-case hex, dashes at 8-13-18-23): no allocation.
  if (isLowerUuid(v)) return v;
  if (!UUID.test(v)) {
    const problem = v === '' ? 'empty-uuid' : 'uuid-invalid';
    throw new ValueError(
      'UUID_INVALID',
      `not a UUID: ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v)}; ${advise(problem).words}`,
      problem,
    );
  }
  return v.toLowerCase();
}

/** BINARY(16) (exported as \x + 32 hex digits) → uuid text. */
export function uuidFromBinary(v: string): string {
  const hex = hexOf16(v);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * MySQL 8's UUID_TO_BIN(u, 1) stores time-low and time-high swapped for index locality:
 * bytes are time_hi(2) time_mid(2) time_low(4) rest(8). Undo that.
 */
export function uuidFromSwappedBinary(v: string): string {
  const h = hexOf16(v);
  const timeHi = h.slice(0, 4);
  const timeMid = h.slice(4, 8);
  const timeLow = h.slice(8, 16);
  return `${timeLow}-${timeMid}-${timeHi}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function hexOf16(v: string): string {
  const hex = v.startsWith('\\x') ? v.slice(2) : v;
  if (!/^[0-9a-fA-F]{32}$/.test(hex))
    throw new ValueError('UUID_INVALID', `not a 16-byte binary UUID: ${JSON.stringify(v.slice(0, 40))}`);
  return hex.toLowerCase();
}

function isLowerUuid(v: string): boolean {
  if (v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

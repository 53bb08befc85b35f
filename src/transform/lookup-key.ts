/** Normalises an id for matching: UUID text compares case-insensitively, like MySQL's _ci. */
export function lookupKey(v: string): string {
  return /^[0-9a-fA-F-]{36}$/.test(v) ? v.toLowerCase() : v;
}

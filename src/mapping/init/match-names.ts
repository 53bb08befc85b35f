/**
 * Name matching for `map init`: exact first, then ignoring case, underscores and dashes, so
 * createdDate, created_date and CreatedDate meet. A normalised name two candidates share is
 * ambiguous and matches neither (the draft says so instead of guessing).
 */
export function normalizeName(name: string): string {
  // '.' too: a legacy table erp_people meets erp.people in a target with several schemas.
  return name.toLowerCase().replace(/[_\-\s.]/g, '');
}

export interface NameMatch {
  pairs: Array<[string, string]>;
  leftOnly: string[];
  rightOnly: string[];
}

export function matchNames(left: string[], right: string[]): NameMatch {
  const pairs: Array<[string, string]> = [];
  const rightLeft = new Set(right);
  const unmatched: string[] = [];
  for (const l of left) {
    if (rightLeft.has(l)) {
      pairs.push([l, l]);
      rightLeft.delete(l);
    } else unmatched.push(l);
  }
  const byNorm = new Map<string, string[]>();
  for (const r of rightLeft) byNorm.set(normalizeName(r), [...(byNorm.get(normalizeName(r)) ?? []), r]);
  const leftNorm = new Map<string, number>();
  for (const l of unmatched) leftNorm.set(normalizeName(l), (leftNorm.get(normalizeName(l)) ?? 0) + 1);
  const leftOnly: string[] = [];
  for (const l of unmatched) {
    const n = normalizeName(l);
    const hits = byNorm.get(n);
    if (hits?.length === 1 && leftNorm.get(n) === 1) {
      pairs.push([l, hits[0]]);
      rightLeft.delete(hits[0]);
    } else leftOnly.push(l);
  }
  return { pairs, leftOnly, rightOnly: right.filter((r) => rightLeft.has(r)) };
}

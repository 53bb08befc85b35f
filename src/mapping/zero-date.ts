/**
 * MySQL's zero dates, as the mapping's `zeroDate` policy names them: '0000-00-00',
 * '0000-00-00 00:00:00', and the partial zeros MySQL accepts under a permissive sql_mode
 * ('2024-00-15'). Postgres has no value for them. One definition, read by the transform and by
 * the checks of what a target column accepts.
 */
export function isZeroDate(v: string): boolean {
  // '0000-00-00', '0000-00-00 00:00:00', and partial zeros MySQL accepts under a permissive sql_mode ('2024-00-15').
  // Checked by character code: this runs on every temporal value.
  if (v.length < 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return false;
  const y = digitsAt(v, 0, 4),
    m = digitsAt(v, 5, 2),
    d = digitsAt(v, 8, 2);
  return y >= 0 && m >= 0 && d >= 0 && (y === 0 || m === 0 || d === 0);
}

/** The decimal number in v[i, i+len), or -1 when a character is not a digit. */
export function digitsAt(v: string, i: number, len: number): number {
  let x = 0;
  for (let k = i; k < i + len; k++) {
    const c = v.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

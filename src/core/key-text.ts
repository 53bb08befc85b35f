/**
 * A key in the words every command uses (map check --probe, transform, a load Postgres refused):
 * every column of the key and its values, so the operator reads the same sentence whichever
 * command found it. `values` is the values' text, comma-separated as Postgres prints them in a
 * DETAIL ("Key (a, b)=(1, 2) already exists.").
 */
export function keyText(columns: readonly string[], values: string): string {
  return `key (${columns.join(', ')}) = (${values})`;
}

/** A key a unique index refuses because another row holds it. */
export function repeatedKeyText(columns: readonly string[], values: string, index?: string): string {
  return `${keyText(columns, values)} repeats${index ? ` under unique index ${index}` : ''}`;
}

/**
 * Counts every value the pipeline changes or drops, per table and column and kind of change.
 * These counts go into the run record: the operator sees exactly what was normalised.
 */
export type ChangeKind =
  | 'emptyToNull'
  | 'nullDefaulted'
  | 'zeroDateNulled'
  | 'zeroDateReplaced'
  | 'invalidJsonNulled'
  | 'trimmed'
  | 'caseChanged'
  | 'replaced'
  | 'remapped'
  | 'enumRelabelled'
  | 'uuidLowercased'
  | 'booleanRespelled' // read through a spelling the mapping declares beyond the defaults (2 or -1 as true)
  | 'timezoneShifted'
  | 'duplicateDropped'
  | 'existingSkipped'
  | 'existingReplaced'
  | 'columnDropped'
  | 'nullRowDropped';

export type ChangeCounts = Record<string, Partial<Record<ChangeKind, number>>>;

export class ChangeLedger {
  readonly counts: ChangeCounts = {};
  /** Told of every change as it is counted (`map check --probe` keeps the first row of each). */
  onChange?: (column: string, kind: ChangeKind) => void;

  add(column: string, kind: ChangeKind, n = 1): void {
    const c = (this.counts[column] ??= {});
    c[kind] = (c[kind] ?? 0) + n;
    if (n > 0 && this.onChange) this.onChange(column, kind);
  }

  /** For passes that read rows without emitting them (keep-newest's first pass). */
  snapshot(): ChangeCounts {
    return structuredClone(this.counts);
  }

  restore(saved: ChangeCounts): void {
    for (const k of Object.keys(this.counts)) delete this.counts[k];
    Object.assign(this.counts, structuredClone(saved));
  }

  total(): number {
    let t = 0;
    for (const c of Object.values(this.counts)) for (const n of Object.values(c)) t += n ?? 0;
    return t;
  }
}

import type { ErrorCode } from '../../core/errors';
import type { ValueProblem } from '../../mapping/value-advice';

/**
 * Thrown by a pure value transform; the table transformer adds table, line, column and row.
 * Kept tiny because it is created on the hot path only when a value is bad.
 */
export class ValueError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Which problem it is (advice.ts), so `map check --probe` can count it per column. */
    readonly problem?: ValueProblem,
  ) {
    super(message);
  }
}

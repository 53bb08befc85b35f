/** One problem in one migration file, at the 1-based line and column of the offending token. */
export interface LintFinding {
  file: string;
  line: number;
  /** 1-based, counted in characters (code points) from the start of the line. */
  column: number;
  /** A stable rule id such as `syntax`, `mysql-autoincrement` or `mysql-type`. */
  rule: string;
  message: string;
}

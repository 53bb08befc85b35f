import { LintFinding } from './lint-finding';

/** One line per finding, `file:line:column rule message`, the shape editors and CI link to. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`).join('\n');
}

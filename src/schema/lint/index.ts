export { lintMigrationDir, lintSql } from './lint-migrations';
export { lintPipeline } from './lint-pipeline';
export type { PipelineLintResult } from './lint-pipeline';
export type { LintFinding } from './lint-finding';
export { formatFindings } from './format-findings';
export { SYNTAX_HINTS } from './syntax-hints';
export { AST_RULES } from './ast-rules';
export { MYSQL_TYPES } from './mysql-types';

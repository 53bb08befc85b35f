/**
 * converge as a library: the same functions the commands call, with typed options. A program
 * resolves a pipeline and connections, then runs a stage:
 *
 *   import { loadPipeline, parseConnectionUrl, createLogger, migrate } from 'converge';
 *   const pipeline = await loadPipeline('shop', '/srv/shop-migration');
 *   const source = parseConnectionUrl(process.env.SRC!, 'mysql', 'source');
 *   …
 *
 * Errors are ConvergeError with a stable code and exitCode; nothing here calls process.exit.
 */
export { runMigrate as migrate } from './migrate/run-migrate';
export type { MigrateOptions, MigrateResult, MigrateTableResult } from './migrate/run-migrate';
export { runVerify as verify, runVerifyReport as verifyReport } from './verify/run-verify';
export type { VerifyOptions, VerifyReport, TableVerdict } from './verify/run-verify';
export { runExport as exportTables } from './export/run-export';
export type { ExportOptions, ExportResult } from './export/run-export';
export { runTransform as transform } from './transform/run-transform';
export type { TransformOptions, TransformResult } from './transform/run-transform';
export { runImport as importTables } from './import/run-import';
export type { ImportOptions, ImportResult } from './import/run-import';
export { runMapCheck as mapCheck } from './mapping/check/run-map-check';
export type { MapCheckOptions, MapCheckResult } from './mapping/check/run-map-check';
export type { MappingProblem, ProblemKind } from './mapping/check/mapping-problem';
export { runMapInit as mapInit } from './mapping/init/run-map-init';
export type { MapInitOptions, MapInitResult } from './mapping/init/run-map-init';
export { loadMapping } from './mapping/load-mapping';
export type { Mapping, TableRule, ColumnRule } from './mapping/load-mapping';
export { loadPipeline, pipelinePath } from './pipeline/load-pipeline';
export type { Pipeline } from './pipeline/load-pipeline';
export { initProject } from './project/init-project';
export type { InitProjectOptions, InitProjectResult } from './project/init-project';
export { parseConnectionUrl, describeConnection, withDatabase } from './core/connection-url';
export type { ConnectionInfo } from './core/connection-url';
export { createLogger } from './core/logger';
export { ConvergeError, isConvergeError } from './core/errors';
export { ExitCode } from './core/exit-codes';

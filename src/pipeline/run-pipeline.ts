import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { runExport } from '../export/run-export';
import { runImport } from '../import/run-import';
import { runTransform } from '../transform/run-transform';
import { runVerify, TableVerdict } from '../verify/run-verify';
import { Pipeline, pipelinePath } from './load-pipeline';
import { withRun } from './run-stages';

export interface PipelineRunOptions {
  pipeline: Pipeline;
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
  log: Logger;
  jobs?: number;
  truncate?: boolean;
}

export interface TableSummary {
  table: string;
  rows: number;
  exportSeconds: number;
  transformSeconds: number;
  importSeconds: number;
  verified: boolean;
}

export interface PipelineRunResult {
  runId: string;
  tables: TableSummary[];
  verdicts: TableVerdict[];
  stageSeconds: { export: number; transform: number; import: number; verify: number };
  rows: number;
  bytes: number;
}

/** export → transform → import → verify as one recorded run. */
export async function runPipeline(o: PipelineRunOptions): Promise<PipelineRunResult> {
  const exportDir = path.join(o.workDir, 'export');
  const transformDir = path.join(o.workDir, 'transform');
  const mappingDir = pipelinePath(o.pipeline, o.pipeline.mapping);
  return withRun(
    { target: o.target, source: o.source, pipeline: o.pipeline.name, runDir: o.workDir, log: o.log, finish: true },
    async (rec, runId) => {
      const t0 = Date.now();
      const ex = await runExport({
        source: o.source,
        outDir: exportDir,
        pipeline: o.pipeline.name,
        exclude: o.pipeline.source.exclude,
        jobs: o.jobs,
        runId,
        log: o.log,
        recorder: rec,
      });
      const t1 = Date.now();
      const tr = await runTransform({
        exportDir,
        outDir: transformDir,
        mappingDir,
        target: o.target,
        targetSchema: o.pipeline.target.schema,
        log: o.log,
        recorder: rec,
      });
      const t2 = Date.now();
      const im = await runImport({
        dir: transformDir,
        target: o.target,
        truncate: o.truncate,
        replaceSeeded: o.pipeline.target.replaceSeeded,
        log: o.log,
        recorder: rec,
      });
      const t3 = Date.now();
      // A pipeline may state what its target schema must look like (tables, FKs, enums, triggers).
      const expectations = path.join(path.dirname(o.pipeline.file), 'expectations.yaml');
      const expectationsFile = existsSync(expectations) ? expectations : undefined;
      const verdicts = await runVerify({
        dir: transformDir,
        mappingDir,
        source: o.source,
        target: o.target,
        log: o.log,
        recorder: rec,
        expectationsFile,
      });
      const t4 = Date.now();
      const schema = o.pipeline.target.schema;
      const tables: TableSummary[] = tr.tables.map((t) => {
        const key = t.target.includes('.') ? t.target : `${schema}.${t.target}`;
        const e = ex.tables.find((x) => x.table === t.table);
        const i = im.tables.find((x) => x.table === key);
        const v = verdicts.find((x) => x.table === t.target);
        return {
          table: t.target,
          rows: i?.rows ?? 0,
          exportSeconds: e?.seconds ?? 0,
          transformSeconds: t.seconds,
          importSeconds: i?.seconds ?? 0,
          verified: !!v?.ok,
        };
      });
      return {
        runId,
        tables,
        verdicts,
        stageSeconds: {
          export: (t1 - t0) / 1000,
          transform: (t2 - t1) / 1000,
          import: (t3 - t2) / 1000,
          verify: (t4 - t3) / 1000,
        },
        rows: ex.tables.reduce((n, t) => n + t.rows, 0),
        bytes: ex.tables.reduce((n, t) => n + t.bytes, 0),
      };
    },
  );
}

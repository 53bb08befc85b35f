import { Command } from 'commander';
import path from 'node:path';
import { createLogger } from '../../core/logger';
import {
  resolveSource,
  resolveTarget,
  DEFAULT_SOURCE_URL,
  DEFAULT_TARGET_URL,
  resolveSetting,
} from '../../core/settings';
import { withDatabase } from '../../core/connection-url';
import { loadPipeline } from '../../pipeline/load-pipeline';
import { runDemo } from '../../demo/run-demo';
import { formatTable } from '../format-table';
import type { RegisterCommand } from './index';

interface Flags {
  pipeline?: string[];
  source?: string;
  target?: string;
  scale?: string;
  jobs?: string;
  workDir?: string;
  logLevel?: string;
}

export const register: RegisterCommand = (program: Command) => {
  program
    .command('demo')
    .description(
      'seed scratch databases converge_demo_<pipeline> on the local servers, then export → transform → import → verify',
    )
    .option('-p, --pipeline <name...>', 'pipelines to run', ['kratos', 'alkemio'])
    .option('--source <url>', 'MySQL server (default mysql://root@127.0.0.1:3306)')
    .option('--target <url>', 'Postgres server (default postgres://postgres@127.0.0.1:5432)')
    .option('--scale <n>', "seed size (the pipeline's default when absent)")
    .option('-j, --jobs <n>', 'parallel export workers', '2')
    .option('--work-dir <dir>', 'where CSV files go', 'converge-work/demo')
    .option('--log-level <level>', 'log level', 'warn')
    .action(async (flags: Flags) => {
      const log = createLogger({ level: flags.logLevel });
      const sourceServer = withDatabase(resolveSource(flags.source, DEFAULT_SOURCE_URL), undefined);
      const targetServer = withDatabase(resolveTarget(flags.target, DEFAULT_TARGET_URL), undefined);
      const workRoot = path.resolve(resolveSetting(flags.workDir, 'CONVERGE_WORK_DIR', 'converge-work/demo')!.value);
      for (const name of flags.pipeline ?? ['kratos', 'alkemio']) {
        const pipeline = await loadPipeline(name);
        const r = await runDemo({
          pipeline,
          sourceServer,
          targetServer,
          scale: flags.scale ? Number(flags.scale) : undefined,
          workDir: path.join(workRoot, name),
          log,
          jobs: Number(flags.jobs ?? 2),
        });
        const s = r.stageSeconds;
        process.stdout.write(
          `\npipeline ${name}: seeded ${Object.values(r.seeded).reduce((a, b) => a + b, 0)} rows in ${r.seedSeconds.toFixed(1)} s; run ${r.runId}\n`,
        );
        process.stdout.write(
          formatTable(
            ['table', 'rows', 'seconds', 'verified'],
            r.tables.map((t) => [
              t.table,
              t.rows,
              (t.exportSeconds + t.transformSeconds + t.importSeconds).toFixed(2),
              t.verified ? 'yes' : 'NO',
            ]),
          ),
        );
        const total = s.export + s.transform + s.import;
        process.stdout.write(
          `stages: export ${s.export.toFixed(1)} s, transform ${s.transform.toFixed(1)} s, import ${s.import.toFixed(1)} s, verify ${s.verify.toFixed(1)} s; ${Math.round(r.rows / Math.max(total, 0.001))} rows/s end to end\n`,
        );
      }
    });
};

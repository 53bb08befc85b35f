import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { projectRoot } from '../../pipeline/project-root';
import { pipelineJsonSchemaText } from '../../pipeline/pipeline-json-schema';
import type { RegisterCommand } from './index';
import { examplesText } from '../context';

export const register: RegisterCommand = (program: Command) => {
  program
    .command('pipeline')
    .description('the pipeline file (docs/pipeline.md)')
    .command('schema')
    .description('print the JSON Schema of pipeline files (generated from the validator)')
    .option('--write', "write it to converge's docs/pipeline.schema.json instead")
    .addHelpText('after', examplesText('converge pipeline schema > pipeline.schema.json'))
    .action(async (flags: { write?: boolean }) => {
      if (!flags.write) return void process.stdout.write(pipelineJsonSchemaText());
      const file = path.join(projectRoot(), 'docs', 'pipeline.schema.json');
      await fsp.writeFile(file, pipelineJsonSchemaText());
      process.stdout.write(`wrote ${file}\n`);
    });
};

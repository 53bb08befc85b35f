import type { Command } from 'commander';
import { initProject } from '../../project/init-project';
import type { RegisterCommand } from './index';
import { examplesText } from '../context';

export const register: RegisterCommand = (program: Command) => {
  program
    .command('init')
    .description('start a project folder: a commented pipeline file, mappings/, .env.example and .gitignore')
    .argument('[dir]', 'the project folder (created if missing)', '.')
    .option('--name <pipeline>', "the pipeline's name (default: the folder's name)")
    .option('--source-database <name>', 'the MySQL database (default: the pipeline name)')
    .option('--target-database <name>', 'the Postgres database (default: the pipeline name)')
    .addHelpText(
      'after',
      examplesText(
        'converge init shop && cd shop && cp .env.example .env && converge map init --probe',
        'converge init . --name shop --source-database shop_prod --target-database shop',
      ),
    )
    .action(async (dir: string, flags: { name?: string; sourceDatabase?: string; targetDatabase?: string }) => {
      const r = await initProject({ dir, ...flags });
      process.stdout.write(
        `wrote pipeline ${r.name} in ${r.dir}:\n${r.written.map((f) => `  ${f}\n`).join('')}` +
          'next: cp .env.example .env (set both URLs), then converge map init --probe\n',
      );
    });
};

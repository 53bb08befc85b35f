import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { isConvergeError } from '../core/errors';
import { ExitCode } from '../core/exit-codes';
import { loadDotEnv } from '../core/dotenv';
import { discoverCommands } from './commands';
import { examplesText } from './context';
import { projectRoot } from '../pipeline/project-root';

/**
 * The one place that turns outcomes into exit codes. Commands return an exit code or throw a
 * ConvergeError; anything else is a bug and is reported as one.
 */
export async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const program = new Command('converge')
    .description('Move a MySQL application database to PostgreSQL: export, transform, import, verify.')
    .version(packageVersion(), '-V, --version', 'print the version of converge')
    .addHelpText(
      'after',
      examplesText(
        'converge init shop && cd shop && cp .env.example .env',
        'converge doctor',
        'converge map init --probe && converge map check --probe',
        'converge migrate --jobs 4',
        'converge <command> --help       # each command with its own examples',
      ),
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  let exitCode: number = ExitCode.Ok;
  const setExit = (code: number) => (exitCode = code);
  // Loading every command module costs a few hundred ms per process (each pulls its stage in):
  // the command named on the line is loaded alone when its module bears its name, as they do;
  // anything else (help, a typo, a module named otherwise) loads them all.
  const named = argv[2];
  const alone = named && /^[a-z][a-z-]*$/.test(named) ? discoverCommands(undefined, (f) => f === named) : [];
  for (const register of alone) register(program, setExit);
  if (!program.commands.some((c) => c.name() === named)) {
    for (const register of discoverCommands(undefined, (f) => f !== named)) register(program, setExit);
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (isConvergeError(e)) {
      process.stderr.write(`converge: ${e.describe()}\n`);
      return e.exitCode;
    }
    process.stderr.write(
      `converge: unexpected error (this is a bug in converge, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return ExitCode.Bug;
  }
}

/** The version of the converge package this code belongs to (from src or an installed dist). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

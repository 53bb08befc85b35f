import { Command, CommanderError } from 'commander';
import { isConvergeError } from '../core/errors';
import { ExitCode } from '../core/exit-codes';
import { loadDotEnv } from '../core/dotenv';
import { discoverCommands } from './commands';

/**
 * The one place that turns outcomes into exit codes. Commands return an exit code or throw a
 * ConvergeError; anything else is a bug and is reported as one.
 */
export async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const program = new Command('converge')
    .description('Move a MySQL application database to PostgreSQL: export, transform, import, verify.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  let exitCode: number = ExitCode.Ok;
  for (const register of discoverCommands()) register(program, (code) => (exitCode = code));
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
    process.stderr.write(`converge: unexpected error (this is a bug in converge, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.Bug;
  }
}

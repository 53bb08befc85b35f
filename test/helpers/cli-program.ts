import { Command } from 'commander';
import { discoverCommands } from '../../src/cli/commands';

/** Every converge command as the CLI registers it, without running any. */
export function cliProgram(): Command {
  const program = new Command('converge').exitOverride();
  for (const register of discoverCommands()) register(program, () => undefined);
  return program;
}

/** Each command that does something (leaves of the tree: `map check`, not `map`), with its full name. */
export function leafCommands(program: Command, prefix = ''): Array<{ name: string; cmd: Command }> {
  return program.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return c.commands.length ? leafCommands(c, `${name} `) : [{ name, cmd: c }];
  });
}

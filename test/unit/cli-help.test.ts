import { cliProgram, leafCommands } from '../helpers/cli-program';

/** Every command's --help ends with examples an operator can copy: each names the command itself. */
test.each(leafCommands(cliProgram()).map(({ name, cmd }) => [name, cmd] as const))(
  'converge %s --help has an Examples section',
  (name, cmd) => {
    let text = '';
    cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    cmd.outputHelp();
    const examples = text.split('\nExamples:\n')[1];
    expect(examples).toBeDefined();
    const lines = examples.split('\n').filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(new RegExp(`converge ${name}\\b`));
  },
);

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onlineCommands } from '../../src/report/online-blocks';

/**
 * One cut-over path: the runbook, the README and `converge rehearse` must agree that the
 * cut-over is `converge schema apply`, `converge map check --probe`, then `converge migrate`
 * (verification included), and the rehearsal must time that command through runMigrate. This
 * fails when one of them drifts (e.g. a runbook step back on the staged commands, a migrate flag
 * the rehearsal cannot pass on, or rehearse timing something else).
 */
const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

const STAGED = ['export', 'transform', 'import', 'verify'];
/** The flags of `converge migrate` that `converge rehearse` passes on to runMigrate unchanged. */
const REHEARSABLE_MIGRATE_FLAGS = ['--pipeline', '--jobs', '--keep-files'];

interface Invocation {
  /** "schema apply", "map check", "migrate", … */
  command: string;
  args: string[];
  line: string;
}

/** Every `converge …` command in a piece of text (code lines or `inline code`), comments dropped. */
function invocations(text: string): Invocation[] {
  const out: Invocation[] = [];
  const candidates = [
    ...text.split('\n').map((l) => l.trim()),
    ...[...text.matchAll(/`(converge [^`]+)`/g)].map((m) => m[1]),
  ];
  for (const raw of candidates) {
    if (!raw.startsWith('converge ')) continue;
    const line = raw.replace(/\s+#.*$/, '').trim();
    const words = line.split(/\s+/).slice(1);
    // `converge follow checkpoint` is a command of its own; `converge follow --pipeline …` is follow.
    const two =
      ['schema', 'map', 'runs'].includes(words[0]) ||
      (words[0] === 'follow' && words[1] !== undefined && !words[1].startsWith('-'));
    out.push({ command: two ? `${words[0]} ${words[1]}` : words[0], args: words.slice(two ? 2 : 1), line });
  }
  return out;
}

/** The fenced block after the `<!-- cutover-commands` (or another) marker. */
function cutoverBlock(file: string, marker = '<!-- cutover-commands'): Invocation[] {
  const text = read(file);
  const at = text.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  expect(block).not.toBeNull();
  return invocations(block![1]).filter((i, n, all) => all.findIndex((j) => j.line === i.line) === n);
}

const flags = (i: Invocation) => i.args.filter((a) => a.startsWith('--'));
const flagValue = (i: Invocation, flag: string) => {
  const k = i.args.indexOf(flag);
  return k < 0 ? undefined : i.args[k + 1];
};
/** The section of a Markdown file from a heading to the next heading of the same level. */
const section = (text: string, heading: string) => {
  const start = text.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0];
  const next = text.indexOf(`\n${level} `, start + heading.length + 2);
  return text.slice(start, next < 0 ? undefined : next);
};

describe('one cut-over path', () => {
  const runbook = cutoverBlock('runbooks/cutover.md');
  const readme = cutoverBlock('README.md');

  it('the runbook and the README run the same commands: schema apply, map check --probe, migrate', () => {
    for (const block of [runbook, readme]) {
      expect(block.map((i) => i.command)).toEqual(['schema apply', 'map check', 'migrate']);
      expect(block[1].args).toContain('--probe');
      for (const i of block) expect(STAGED).not.toContain(i.command);
    }
    expect(readme.map((i) => i.args.join(' '))).toEqual(runbook.map((i) => i.args.join(' ')));
  });

  it('the cut-over migrate verifies, and uses only flags converge rehearse passes on', () => {
    const migrate = runbook.find((i) => i.command === 'migrate')!;
    expect(flags(migrate)).not.toContain('--no-verify');
    expect(flags(migrate)).not.toContain('--verify-only');
    for (const f of flags(migrate)) expect(REHEARSABLE_MIGRATE_FLAGS).toContain(f);
  });

  it("the night's steps in the runbook use migrate and no staged command", () => {
    const night = invocations(section(read('runbooks/cutover.md'), '## In the window'));
    const commands = night.map((i) => i.command);
    expect(commands).toEqual(expect.arrayContaining(['schema apply', 'map check', 'migrate']));
    for (const c of commands) expect(STAGED).not.toContain(c);
    expect(commands.indexOf('schema apply')).toBeLessThan(commands.indexOf('map check'));
    expect(commands.indexOf('map check')).toBeLessThan(commands.indexOf('migrate'));
    const migrate = runbook.find((i) => i.command === 'migrate')!;
    expect(night.filter((i) => i.command === 'migrate').map((i) => i.line)).toContain(migrate.line);
  });

  it('the rehearsals in the runbook and the README give rehearse the cut-over command’s --jobs and --keep-files', () => {
    const migrate = runbook.find((i) => i.command === 'migrate')!;
    for (const file of ['runbooks/cutover.md', 'README.md']) {
      // Commands with arguments; a bare `converge rehearse` in prose names the command only.
      const rehearsals = invocations(read(file)).filter(
        (i) => i.command === 'rehearse' && i.args.includes('--pipeline'),
      );
      expect(rehearsals.length).toBeGreaterThan(0);
      for (const r of rehearsals) {
        expect(flagValue(r, '--jobs')).toBe(flagValue(migrate, '--jobs'));
        expect(r.args.includes('--keep-files')).toBe(migrate.args.includes('--keep-files'));
        // Against a staging copy and a scratch target named on the command line, confirmed.
        for (const flag of ['--source', '--target', '--reset-target'])
          expect({ flag, given: !!flagValue(r, flag) }).toEqual({ flag, given: true });
      }
    }
  });

  it('converge rehearse times the migrate command through runMigrate, as converge migrate runs it', () => {
    const shared = read('src/cutover/cutover-migrate.ts');
    expect(shared).toMatch(/import \{[^}]*\brunMigrate\b[^}]*\} from '\.\.\/migrate\/run-migrate'/);
    expect(shared).toMatch(/await runMigrate\(\{/);
    // The CLI's migrate and the rehearsal both go through the one shared call.
    expect(read('src/cli/commands/migrate.ts')).toMatch(/await runCutoverMigrate\(\{/);
    const rehearsal = read('src/rehearse/run-rehearsal.ts');
    expect(rehearsal).toMatch(/import \{ runCutoverMigrate \} from '\.\.\/cutover\/cutover-migrate'/);
    expect(rehearsal).toMatch(/await runCutoverMigrate\(\{/);
    expect(rehearsal).toMatch(/record\('load', run\.seconds\.load\)/);
    expect(rehearsal).toMatch(/record\('verify', run\.seconds\.verify\)/);
    // Nothing of the staged path is left in the rehearsal.
    expect(rehearsal).not.toMatch(/runPipeline|runExport|runTransform|runImport/);
    // The schema apply it times is the command's own call.
    expect(rehearsal).toMatch(/timed\('schema-apply', \(\) => applyTargetSchema\(p, o\.target\)\)/);
    // Its help states the correspondence with the runbook's command.
    expect(read('src/cli/commands/rehearse.ts')).toContain('converge migrate --pipeline P --jobs N [--keep-files]');
  });
});

/**
 * The online cut-over: the runbook's steps, the README and `converge rehearse --online` run the
 * same commands, schema apply, map check --probe --follow, migrate --follow, follow checkpoint,
 * cutover, with the offline migrate's --jobs and --keep-files, and the rehearsal reaches them
 * through the calls those commands make.
 */
describe('one online cut-over path', () => {
  const offline = cutoverBlock('runbooks/cutover.md');
  const runbook = cutoverBlock('runbooks/cutover.md', '<!-- online-cutover-commands');
  const readme = cutoverBlock('README.md', '<!-- online-cutover-commands');
  const migrate = offline.find((i) => i.command === 'migrate')!;

  it('the runbook and the README run the same online commands', () => {
    for (const block of [runbook, readme])
      expect(block.map((i) => i.command)).toEqual([
        'schema apply',
        'map check',
        'migrate',
        'follow checkpoint',
        'cutover',
      ]);
    expect(readme.map((i) => i.args.join(' '))).toEqual(runbook.map((i) => i.args.join(' ')));
    expect(runbook[1].args).toEqual(expect.arrayContaining(['--probe', '--follow']));
  });

  it('migrate --follow takes the offline migrate’s flags; checkpoint and cutover find its manifest', () => {
    const follow = runbook.find((i) => i.command === 'migrate')!;
    expect(follow.args.filter((a) => a !== '--follow')).toEqual(migrate.args);
    expect(follow.args).toContain('--follow');
    for (const c of runbook.filter((i) => ['follow checkpoint', 'cutover'].includes(i.command)))
      // --keep-files says where migrate wrote its manifest: <work-dir>/transform, else /migrate.
      expect({ line: c.line, keepFiles: c.args.includes('--keep-files') }).toEqual({
        line: c.line,
        keepFiles: migrate.args.includes('--keep-files'),
      });
  });

  it("the runbook's online steps are the block's commands, in its order", () => {
    // The step table and its prose, without the fenced blocks (the block itself is one of them).
    const steps = invocations(
      section(read('runbooks/cutover.md'), '## Online cut-over: load while the application writes').replace(
        /```[\s\S]*?```/g,
        '',
      ),
    );
    const lines = steps.map((i) => i.line);
    let last = -1;
    for (const i of runbook) {
      const at = lines.indexOf(i.line, last + 1);
      expect({ line: i.line, inSteps: at > last }).toEqual({ line: i.line, inSteps: true });
      last = at;
    }
  });

  it('the runbook and the README rehearse it with --online and the cut-over’s flags', () => {
    for (const file of ['runbooks/cutover.md', 'README.md']) {
      // With its arguments (the previous test checks them); prose may name `converge rehearse --online`.
      const online = invocations(read(file)).filter(
        (i) => i.command === 'rehearse' && i.args.includes('--online') && i.args.includes('--pipeline'),
      );
      expect({ file, online: online.length > 0 }).toEqual({ file, online: true });
    }
  });

  it('converge rehearse --online reaches each command through the call the command makes', () => {
    const online = read('src/rehearse/online-rehearsal.ts');
    // migrate --follow: the one shared runCutoverMigrate, with follow, as the CLI passes it.
    expect(online).toMatch(/import \{[^}]*\brunCutoverMigrate\b[^}]*\} from '\.\.\/cutover\/cutover-migrate'/);
    expect(online).toMatch(/await runCutoverMigrate\(\{[^}]*follow: \{/);
    expect(read('src/cli/commands/migrate.ts')).toMatch(/follow: \{ tty: /);
    // follow checkpoint and cutover: the commands' own functions.
    expect(online).toMatch(/import \{ runCheckpoint \} from '\.\.\/follow\/follow-checkpoint'/);
    expect(online).toMatch(/timed\('checkpoint', \(\) => runCheckpoint\(/);
    expect(read('src/cli/commands/follow.ts')).toMatch(/await runCheckpoint\(\{/);
    expect(online).toMatch(/import \{ runCutover \} from '\.\.\/follow\/run-cutover'/);
    expect(online).toMatch(/timed\('cutover', \(\) => runCutover\(/);
    expect(read('src/cli/commands/cutover.ts')).toMatch(/await runCutover\(\{/);
    // Its help states the correspondence with the runbook's online commands.
    const help = read('src/cli/commands/rehearse.ts');
    for (const c of [
      'converge migrate --pipeline P --jobs N [--keep-files] --follow',
      'converge follow checkpoint --pipeline P [--keep-files]',
      'converge cutover --pipeline P [--keep-files]',
    ])
      expect(help).toContain(c);
  });

  it('the report names the runbook’s online commands for the rehearsal’s flags', () => {
    const jobs = flagValue(migrate, '--jobs')!;
    const cmds = onlineCommands({
      pipeline: 'kratos',
      cutover: {
        command: 'migrate',
        jobs: Number(jobs),
        keepFiles: migrate.args.includes('--keep-files'),
        verify: true,
      },
    });
    expect(cmds).toEqual(
      runbook.filter((i) => i.command !== 'schema apply' && i.command !== 'map check').map((i) => i.line),
    );
  });
});

import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ExitCode } from '../../../src/core/exit-codes';
import type { CorpusCase } from '../../helpers/corpus-case';
import { commonArgs } from '../../helpers/corpus-world';

const PW = 'Sekr1t-corpus-pw';
const withSource = (url: string) => (c: Parameters<typeof commonArgs>[0]) => ['export', ...commonArgs(c).slice(0, 2), '--source', url, '--target', c.targetUrl, '--work-dir', c.work];
const withTarget = (url: string) => (c: Parameters<typeof commonArgs>[0]) => ['import', ...commonArgs(c).slice(0, 4), '--target', url, '--work-dir', c.work];

/** Pipeline files, flags and URLs: all refused before any data moves. */
export const configCases: CorpusCase[] = [
  {
    name: 'pipeline.yaml with a YAML syntax error',
    stage: 'config',
    pipeline: () => 'name: corpus\nsource: { database: x\ntarget: { database: y, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n',
    run: 'export',
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /YAML syntax/, where: (c) => [`${c.pipelineFile}:`] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'pipeline.yaml with an unknown key',
    stage: 'config',
    pipeline: () => 'name: corpus\nsource: { database: x, exlcude: [a] }\ntarget: { database: y, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n',
    run: 'export',
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /exlcude/, where: (c) => [c.pipelineFile, 'key source'] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'pipeline.yaml with a wrong type',
    stage: 'config',
    pipeline: () => 'name: corpus\nsource: { database: x }\ntarget: { database: y, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\ndemoScale: lots\n',
    run: 'export',
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', where: (c) => [c.pipelineFile, 'key demoScale'] },
  },
  {
    name: 'pipeline file that does not exist',
    stage: 'config',
    run: (c) => ['export', '--pipeline', path.join(c.dir, 'no such dir', 'pipeline.yaml'), '--source', c.sourceUrl, '--target', c.targetUrl, '--work-dir', c.work],
    migrate: { sameError: true },
    expect: { exit: ExitCode.Usage, code: 'PIPELINE_UNKNOWN', where: (c) => [path.join(c.dir, 'no such dir', 'pipeline.yaml')] },
  },
  {
    name: 'a source URL that is not a URL (password not echoed)',
    stage: 'config',
    run: withSource(`mysql//root:${PW}@127.0.0.1:3306/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Usage, code: 'CONFIG_URL', where: () => ['key --source'], absent: () => [PW] },
  },
  {
    name: 'a target URL with the wrong scheme (password not echoed)',
    stage: 'config',
    run: withTarget(`mysql://postgres:${PW}@127.0.0.1:5432/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Usage, code: 'CONFIG_URL', message: /scheme "mysql"/, absent: () => [PW] },
  },
  {
    name: 'a target URL with an out-of-range port',
    stage: 'config',
    run: withTarget(`postgres://postgres:${PW}@127.0.0.1:99999/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Usage, code: 'CONFIG_URL', absent: () => [PW] },
  },
  {
    name: 'a password with a malformed %-escape',
    stage: 'config',
    run: withSource(`mysql://root:${PW}%zz@127.0.0.1:3306/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Usage, code: 'CONFIG_URL', message: /%-escape in its password/, absent: () => [PW] },
  },
  {
    name: 'export --jobs that is not a number',
    stage: 'config',
    run: (c) => ['export', ...commonArgs(c), '--jobs', 'many'],
    migrate: { sameError: true },
    expect: { exit: ExitCode.Usage, code: 'USAGE', message: /--jobs/ },
    after: { incomplete: ['export'] },
  },
  {
    name: 'a --connect-timeout-ms that is not a number (refused before connecting)',
    stage: 'config',
    run: (c) => ['export', ...commonArgs(c), '--connect-timeout-ms', 'soon'],
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /connect_timeout_ms="soon" .*must be a positive number \(from --connect-timeout-ms/, where: () => ['key connect_timeout_ms'] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'a --connect-timeout-ms of 0 (no wait may be unbounded)',
    stage: 'config',
    run: (c) => ['export', ...commonArgs(c), '--connect-timeout-ms', '0'],
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /connect_timeout_ms="0"/ },
    after: { incomplete: ['export'] },
  },
  {
    name: 'a negative --statement-timeout-ms',
    stage: 'config',
    run: (c) => ['export', ...commonArgs(c), '--statement-timeout-ms', '-5'],
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /statement_timeout_ms="-5" .*--statement-timeout-ms/ },
    after: { incomplete: ['export'] },
  },
  {
    name: 'a --stall-timeout-ms that is not a number',
    stage: 'config',
    run: (c) => ['export', ...commonArgs(c), '--stall-timeout-ms', 'later'],
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /stall_timeout_ms="later"/ },
    after: { incomplete: ['export'] },
  },
  {
    name: 'an unknown --target-sslmode on import',
    stage: 'config',
    run: (c) => ['import', ...commonArgs(c), '--target-sslmode', 'sometimes'],
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /sslmode="sometimes" is not one of disable, allow, prefer, require, verify-ca, verify-full/ },
  },
  {
    name: 'a --source-ssl-ca file that does not exist',
    stage: 'config',
    run: (c) => ['export', ...commonArgs(c), '--source-ssl-ca', path.join(c.dir, 'no-such-ca.pem')],
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'CONFIG_INVALID', message: /cannot read ssl-ca file/, where: (c) => [path.join(c.dir, 'no-such-ca.pem')] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'a mapping folder with no yaml file',
    stage: 'config',
    from: 'export',
    tamper: async (c) => {
      await fsp.mkdir(path.join(c.dir, 'empty'));
      await fsp.writeFile(c.pipelineFile, (await fsp.readFile(c.pipelineFile, 'utf8')).replace('mapping: mapping', 'mapping: empty'));
    },
    run: 'transform',
    migrate: { sameError: true },
    expect: { exit: ExitCode.BadConfig, code: 'MAPPING_INVALID', message: /holds no \.yaml file/, where: (c) => [path.join(c.dir, 'empty')] },
    after: { incomplete: ['transform'] },
  },
];

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMapping } from '../../src/mapping/load-mapping';
import { lintPipeline } from '../../src/schema/lint/lint-pipeline';
import type { MysqlConnection } from '../../src/source/mysql/connect';
import { binlogPosition } from '../../src/source/mysql/snapshot';

/**
 * A file that is not there and a file that cannot be read are different answers. Tests run as
 * root, so a symlink loop (ELOOP) stands for "cannot be read" where chmod would not.
 */
let root: string;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-unreadable-'));
  await fsp.symlink('loop', path.join(root, 'loop'));
  await fsp.mkdir(path.join(root, 'migrations', 'looped'), { recursive: true });
  await fsp.symlink('postgres', path.join(root, 'migrations', 'looped', 'postgres'));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

test('a mapping that is not there is MAPPING_INVALID; one that cannot be read is IO_FAILED', async () => {
  await expect(loadMapping(path.join(root, 'none.yaml'))).rejects.toMatchObject({ code: 'MAPPING_INVALID' });
  await expect(loadMapping(path.join(root, 'loop'))).rejects.toMatchObject({
    code: 'IO_FAILED',
    context: { file: path.join(root, 'loop') },
  });
});

test('schema lint: no migrations is PIPELINE_UNKNOWN; an unreadable migrations folder is IO_FAILED', async () => {
  await expect(lintPipeline(path.join(root, 'migrations'), 'other')).rejects.toMatchObject({
    code: 'IO_FAILED',
    message: expect.stringContaining('looped'),
  });
  await expect(lintPipeline(path.join(root, 'no-migrations'), 'other')).rejects.toMatchObject({
    code: 'PIPELINE_UNKNOWN',
  });
  await expect(lintPipeline(path.join(root, 'migrations'), 'looped')).rejects.toMatchObject({ code: 'IO_FAILED' });
});

function fakeConnection(error: unknown): MysqlConnection {
  return {
    query: async () => {
      throw error;
    },
  } as unknown as MysqlConnection;
}

test('binlog position: no privilege to ask is null; a lost connection fails', async () => {
  const denied = Object.assign(new Error('Access denied; you need the BINLOG MONITOR privilege'), { errno: 1227 });
  const lost = Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
  expect(await binlogPosition(fakeConnection(denied), 'consistent-snapshot')).toBeNull();
  await expect(binlogPosition(fakeConnection(lost), 'consistent-snapshot')).rejects.toBe(lost);
});

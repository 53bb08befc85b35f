import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../src/core/private-files';

/** A kill -9 during an atomic rewrite leaves its temp file; the next write of that file removes it. */
describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-atomic-'));
  });
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  test("removes a dead process's temp file of the same file, keeps a live one's and other files", async () => {
    // A pid that no longer exists: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const file = path.join(dir, 'manifest.json');
    const stale = `manifest.json.tmp-${dead}-abcd1234`;
    const live = `manifest.json.tmp-${process.ppid}-efgh5678`;
    const other = `other.json.tmp-${dead}-abcd1234`;
    for (const n of [stale, live, other]) await fsp.writeFile(path.join(dir, n), '{"half":');
    await writeFileAtomic(file, '{"ok":true}\n');
    const left = (await fsp.readdir(dir)).sort();
    expect(left).toEqual(['manifest.json', live, other].sort());
    expect(await fsp.readFile(file, 'utf8')).toBe('{"ok":true}\n');
    expect((await fsp.stat(file)).mode & 0o777).toBe(0o600);
  });
});

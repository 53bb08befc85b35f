import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPipeline } from '../../src/pipeline/load-pipeline';

/** Only a pipeline file that does not exist is "no pipeline": an unreadable one says why. */
let root: string;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-pipeline-'));
  await fsp.mkdir(path.join(root, 'pipelines', 'dir-in-place', 'pipeline.yaml'), { recursive: true });
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

test('a pipeline that does not exist is PIPELINE_UNKNOWN and lists the known ones', async () => {
  await expect(loadPipeline('nope', root)).rejects.toMatchObject({
    code: 'PIPELINE_UNKNOWN',
    message: expect.stringContaining('dir-in-place'),
  });
});

test('a pipeline file that cannot be read (a directory in its place) is IO_FAILED naming the file', async () => {
  const file = path.join(root, 'pipelines', 'dir-in-place', 'pipeline.yaml');
  const err = await loadPipeline('dir-in-place', root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: 'IO_FAILED', context: { file }, message: expect.stringContaining(file) });
  expect((err as Error & { cause: NodeJS.ErrnoException }).cause.code).toBe('EISDIR');
  await expect(loadPipeline(file)).rejects.toMatchObject({ code: 'IO_FAILED' });
});

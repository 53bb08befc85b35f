import path from 'node:path';
import { inThreadHasher, StreamHashSpec, workerHasher } from '../../src/verify/stream-hasher';
import { pgType } from '../helpers/pg-value-type';

/**
 * verify's streamed hashes summed in worker threads are the sums hashed in this thread: batches
 * handed out in turn to two threads, sums merged by child segment and started again after each
 * call, every value type's hash text written in the thread (jsonb, json, float8, presence only).
 */
const WORKER = path.join(__dirname, '..', 'helpers', 'stream-hash-worker.js');
const spec: StreamHashSpec = { keyWidth: 1, types: [pgType('jsonb'), pgType('json'), pgType('float8'), null] };

const int = (n: number) => Math.floor(Math.random() * n);
function batch(rows: number): { child: Int32Array; values: Array<string | null> } {
  const child = new Int32Array(rows);
  const values: Array<string | null> = [];
  for (let r = 0; r < rows; r++) {
    child[r] = int(20);
    const json = int(5) ? `{"b": [${int(100)}, 1.50, -0], "a": {"é": "x\\u00e9"}, "b": ${int(9)}e1}` : null;
    values.push(String(int(1e6)), json, json, int(4) ? String(Math.random() * 1e6) : '-0', int(2) ? '' : null);
  }
  return { child, values };
}

test('worker threads sum the streamed hashes this thread sums', async () => {
  const local = inThreadHasher(spec);
  const threads = workerHasher(spec, WORKER, 2);
  try {
    for (let call = 0; call < 2; call++) {
      for (let b = 0; b < 13; b++) {
        const { child, values } = batch(1 + int(300));
        await local.add(child, values);
        await threads.add(child, values);
      }
      const want = await local.sums();
      expect(want.size).toBeGreaterThan(0);
      expect(await threads.sums()).toEqual(want);
    }
    // Nothing added since: no sums carried over.
    expect((await threads.sums()).size).toBe(0);
  } finally {
    await threads.close();
  }
}, 60_000);

test('a failing hashing thread fails the hasher, not the process', async () => {
  const threads = workerHasher(spec, WORKER, 1);
  try {
    // A streamed value that is not a string makes the thread's hashing throw.
    await threads.add(new Int32Array([0]), ['1', 42 as unknown as string, null, null, null]);
    await expect(threads.sums()).rejects.toThrow(/hashing thread/);
  } finally {
    await threads.close();
  }
}, 60_000);

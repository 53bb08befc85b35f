import { parentPort, workerData } from 'node:worker_threads';
import { FromWorker, hashFunctions, hashRows, StreamHashSpec, ToWorker } from './stream-hasher';

/**
 * A verify hashing thread (stream-hasher.ts): hashes the batches it is sent into sums by child
 * segment, answers each batch, and hands the sums over (and starts again) when asked.
 */
const spec = workerData as StreamHashSpec;
const js = hashFunctions(spec.types);
let out = new Map<number, bigint>();

parentPort!.on('message', (m: ToWorker) => {
  let answer: FromWorker;
  try {
    if ('sums' in m) {
      answer = { sums: [...out].map(([c, s]) => [c, s.toString()]) };
      out = new Map();
    } else {
      hashRows(js, spec.keyWidth, m.child, m.values, out);
      answer = { done: true };
    }
  } catch (e) {
    answer = { error: (e as Error).message };
  }
  parentPort!.postMessage(answer);
});

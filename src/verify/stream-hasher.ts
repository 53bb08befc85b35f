import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PgValueType } from '../target/postgres/catalog';
import type { Canon } from './canonical';
import { jsHashText } from './hash-text';
import { pgTextHash } from './pg-text-hash';
import { hashTokens } from './row-checksum';

/**
 * Sums the streamed half of verify's row hashes (stream-hash.ts reads and maps the rows): each
 * row is the key's hash texts, then the streamed columns' values as the table program gave them,
 * whose hash texts (jsHashText: JSON as jsonb prints it, …) and md5 are most of the stream's
 * work. With more than one core that work runs in worker threads, beside this thread's reading
 * and mapping; batches in flight are few, so memory stays bounded.
 */
export interface StreamHasher {
  /** Rows of one batch: each row's child segment, and its `keyWidth` key texts then its streamed values. */
  add(child: Int32Array, values: Array<string | null>): Promise<void>;
  /** The sums by child segment of the rows added since the last call. */
  sums(): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

/** What a hasher needs, cloneable into a worker: the key's width and the streamed columns' types (null: only NULL or not). */
export interface StreamHashSpec {
  keyWidth: number;
  types: Array<PgValueType | null>;
}

/** Batches a worker may hold unanswered: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 4;
const MAX_WORKERS = 2;

/** Worker threads when there is a core to spare and the compiled worker file exists (not under ts-jest). */
export function openStreamHasher(spec: StreamHashSpec): StreamHasher {
  const file = path.join(__dirname, 'stream-hash-worker.js');
  const workers = Math.min(MAX_WORKERS, availableParallelism() - 1);
  if (workers < 1 || !existsSync(file)) return inThreadHasher(spec);
  return workerHasher(spec, file, workers);
}

/**
 * Adds rows' hashes into `out` by child segment: the one place the streamed half is hashed. A
 * row's hash is Postgres's hashtextextended of its values' tokens (pg-text-hash.ts), summed
 * signed as Postgres sums it; a batch sums its halves as numbers (exact: far below 2^53) and
 * adds them as a bigint once per child.
 */
export function hashRows(
  js: Canon[],
  keyWidth: number,
  child: Int32Array,
  values: ReadonlyArray<string | null>,
  out: Map<number, bigint>,
): void {
  const width = keyWidth + js.length;
  const texts: Array<string | null> = new Array(width);
  const h = { hi: 0, lo: 0 };
  const his = new Map<number, number>();
  const los = new Map<number, number>();
  for (let r = 0, o = 0; r < child.length; r++, o += width) {
    for (let k = 0; k < keyWidth; k++) texts[k] = values[o + k];
    for (let j = 0; j < js.length; j++) {
      const v = values[o + keyWidth + j];
      texts[keyWidth + j] = v === null ? null : js[j](v);
    }
    pgTextHash(hashTokens(texts), h);
    const c = child[r];
    his.set(c, (his.get(c) ?? 0) + (h.hi | 0));
    los.set(c, (los.get(c) ?? 0) + h.lo);
  }
  for (const [c, hi] of his) out.set(c, (out.get(c) ?? 0n) + (BigInt(hi) << 32n) + BigInt(los.get(c)!));
}

export function hashFunctions(types: Array<PgValueType | null>): Canon[] {
  return types.map((t) => (t ? jsHashText(t)! : () => ''));
}

export function inThreadHasher(spec: StreamHashSpec): StreamHasher {
  const js = hashFunctions(spec.types);
  let out = new Map<number, bigint>();
  return {
    add: async (child, values) => hashRows(js, spec.keyWidth, child, values, out),
    sums: async () => {
      const s = out;
      out = new Map();
      return s;
    },
    close: async () => undefined,
  };
}

/** Messages to a worker: a batch, or a request for its sums; answers: a batch done, the sums, or a failure. */
export type ToWorker = { child: Int32Array; values: Array<string | null> } | { sums: true };
export type FromWorker = { done: true } | { sums: Array<[number, string]> } | { error: string };

/** `n` worker threads running `file` (stream-hash-worker), batches handed out in turn. */
export function workerHasher(spec: StreamHashSpec, file: string, n: number): StreamHasher {
  const pool = Array.from({ length: n }, () => {
    const w = new Worker(file, { workerData: spec });
    // Answers come in the order asked: a FIFO of what waits for them.
    const waiting: Array<{ ok: (m: FromWorker) => void; fail: (e: Error) => void }> = [];
    let failed: Error | undefined;
    const fail = (e: Error) => {
      failed ??= e;
      for (const x of waiting.splice(0)) x.fail(e);
    };
    w.on('message', (m: FromWorker) => {
      if ('error' in m) fail(new Error(`verify's hashing thread: ${m.error}`));
      else waiting.shift()?.ok(m);
    });
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`verify's hashing thread ended (exit ${code})`)));
    const ask = (m: ToWorker) =>
      new Promise<FromWorker>((ok, no) => {
        if (failed) return no(failed);
        waiting.push({ ok, fail: no });
        w.postMessage(m);
      });
    return { w, waiting, ask, inFlight: [] as Array<Promise<FromWorker>> };
  });
  let next = 0;
  return {
    async add(child, values) {
      const x = pool[next];
      next = (next + 1) % pool.length;
      if (x.inFlight.length >= IN_FLIGHT) await x.inFlight.shift();
      const p = x.ask({ child, values });
      // A failure surfaces at the next wait (add or sums), not as an unhandled rejection.
      p.catch(() => undefined);
      x.inFlight.push(p);
    },
    async sums() {
      const out = new Map<number, bigint>();
      for (const x of pool) {
        await Promise.all(x.inFlight.splice(0));
        const m = await x.ask({ sums: true });
        for (const [c, s] of (m as { sums: Array<[number, string]> }).sums) out.set(c, (out.get(c) ?? 0n) + BigInt(s));
      }
      return out;
    },
    async close() {
      for (const x of pool) {
        x.w.removeAllListeners('exit');
        await x.w.terminate();
      }
    },
  };
}

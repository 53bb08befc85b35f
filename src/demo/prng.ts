/**
 * Small deterministic random sources for demo and fixture data. Math.random cannot be seeded,
 * and fixtures must be byte-identical run after run so tests and benchmarks can compare.
 */

/** mulberry32: a 32-bit state generator, fast and good enough for test data (not for secrets). */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** n random bytes, every value 0x00..0xFF possible. */
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.nextU32();
      for (let j = 0; j < 4 && i + j < n; j++) b[i + j] = (v >>> (j * 8)) & 0xff;
    }
    return b;
  }

  /** Lower-case hex string of the given length. */
  hex(len: number): string {
    let s = '';
    while (s.length < len) s += this.nextU32().toString(16).padStart(8, '0');
    return s.slice(0, len);
  }
}

/** A stateless 32-bit mix (murmur3 finaliser): the same inputs always give the same output. */
export function mix32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul(p >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(v: number): string {
  return HEX[(v >>> 24) & 0xff] + HEX[(v >>> 16) & 0xff] + HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];
}

/**
 * A version-4-shaped uuid derived from (seed, space, index), so any row's id can be recomputed
 * from its position without keeping a table of ids in memory.
 */
export function uuidFromKey(seed: number, space: number, index: number): string {
  const a = mix32(seed, space, index, 1);
  const b = mix32(seed, space, index, 2);
  const c = ((mix32(seed, space, index, 3) & 0x3fffffff) | 0x80000000) >>> 0;
  const d = mix32(seed, space, index, 4);
  const b4 = ((b & 0xffff0fff) | 0x00004000) >>> 0;
  const hb = hex32(b4);
  const hc = hex32(c);
  return `${hex32(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`;
}

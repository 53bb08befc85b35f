/**
 * A tiny seeded pseudo-random generator (mulberry32). Fixtures must be identical on every
 * machine and every run, so a verifier can compare against known rows; Math.random cannot be
 * seeded and crypto randomness is not repeatable.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** A decimal in [min, max] with the given digits after the point, as text: DECIMAL stays exact. */
  decimal(min: number, max: number, digits: number): string;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Up to `count` distinct items, in their original order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** A version-4-shaped UUID drawn from this generator, lower-case. */
  uuid(): string;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += int(0, 15).toString(16);
    return s;
  };
  return {
    next,
    int,
    decimal(min, max, digits) {
      const scale = 10 ** digits;
      return (int(Math.round(min * scale), Math.round(max * scale)) / scale).toFixed(digits);
    },
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      return items[int(0, items.length - 1)];
    },
    sample<T>(items: readonly T[], count: number): T[] {
      const keep = new Set<number>();
      const want = Math.min(count, items.length);
      while (keep.size < want) keep.add(int(0, items.length - 1));
      return items.filter((_, i) => keep.has(i));
    },
    uuid() {
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`;
    },
  };
}

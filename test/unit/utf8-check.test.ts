import { isUtf8 } from 'node:buffer';
import { completeUtf8End, firstInvalidUtf8 } from '../../src/csv/utf8-check';
import { createPrng } from '../../fixtures/demo/generic-prng';

/** Seeded, so a failing case reproduces from its seed. */
function prng(seed: number): () => number {
  const p = createPrng(seed);
  return () => p.next();
}

/** The reference: walk character by character; the first one whose bytes are not valid UTF-8. */
function firstBadByWalking(b: Buffer): number {
  let p = 0;
  while (p < b.length) {
    const c = b[p];
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0 || p + len > b.length || !isUtf8(b.subarray(p, p + len))) return p;
    p += len;
  }
  return -1;
}

const PIECES = ['a', '\n', 'é', '😀', '日', 'x,y', '"'];

describe('utf8-check', () => {
  test('completeUtf8End: a cut character is left for the next block, a whole or malformed tail is not', () => {
    const euro = Buffer.from('a€', 'utf8'); // € is 3 bytes
    expect(completeUtf8End(euro)).toBe(4);
    expect(completeUtf8End(euro.subarray(0, 3))).toBe(1);
    expect(completeUtf8End(euro.subarray(0, 2))).toBe(1);
    expect(completeUtf8End(Buffer.from([0x61, 0xff]))).toBe(2);
    expect(completeUtf8End(Buffer.from([0x61, 0x80, 0x80, 0x80]))).toBe(4);
    expect(completeUtf8End(Buffer.alloc(0))).toBe(0);
    const emoji = Buffer.from('😀', 'utf8');
    for (let k = 1; k < 4; k++) expect(completeUtf8End(emoji.subarray(0, k))).toBe(0);
  });

  test('firstInvalidUtf8 finds the start of the first bad character, as a byte-by-byte walk does', () => {
    const rnd = prng(7);
    let checked = 0;
    for (let round = 0; round < 3000; round++) {
      let text = '';
      const n = 1 + Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) text += PIECES[Math.floor(rnd() * PIECES.length)];
      const b = Buffer.from(text, 'utf8');
      const at = Math.floor(rnd() * b.length);
      const kind = rnd();
      // Corrupt one byte: an impossible byte, a stray continuation, or a lead whose follower is ASCII.
      b[at] = kind < 0.33 ? 0xff : kind < 0.66 ? 0x80 : 0xe2;
      if (isUtf8(b)) continue;
      expect(firstInvalidUtf8(b)).toBe(firstBadByWalking(b));
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  });
});

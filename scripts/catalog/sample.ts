/** A seeded random sample of a catalog's titles, for the hand-labelled fixture test/fixtures/catalog/sample-200.json. */

/** mulberry32: a small, well-known 32-bit PRNG, so the same seed draws the same sample everywhere. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` distinct ids drawn with `seed` from the ids sorted, so the catalog's order does not matter. */
export function sampleIds(ids: readonly string[], n: number, seed: number): string[] {
  const sorted = [...ids].sort();
  const random = mulberry32(seed);
  // Partial Fisher–Yates: the first n places are the sample.
  for (let i = 0; i < Math.min(n, sorted.length); i += 1) {
    const j = i + Math.floor(random() * (sorted.length - i));
    [sorted[i], sorted[j]] = [sorted[j] as string, sorted[i] as string];
  }
  return sorted.slice(0, n);
}

/** A seeded random sample of a catalog's titles, for the hand-labelled fixture test/fixtures/catalog/sample-200.json. */

/**
 * A seeded 32-bit hash of an id: FNV-1a over the seed's four bytes and then the id's UTF-16 code
 * units, finished with murmur3's fmix32 so that ids differing in one character land far apart.
 * Each id's value depends on the seed and that id alone, never on the other ids, which is what
 * keeps the sample stable when the catalog changes.
 */
function seededHash(id: string, seed: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i += 1) h = Math.imul(h ^ ((seed >>> (8 * i)) & 0xff), 0x01000193);
  for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * `n` distinct ids drawn with `seed`: the ids with the smallest seeded hash, in order of the hash
 * (ties by id), so the catalog's order does not matter. An id is in the sample by its own hash
 * alone, so adding or removing a few ids changes only a few members: a rebuilt catalog needs
 * labels only for the titles new to the sample.
 */
export function sampleIds(ids: readonly string[], n: number, seed: number): string[] {
  return [...new Set(ids)]
    .map((id) => ({ id, hash: seededHash(id, seed) }))
    .sort((a, b) => a.hash - b.hash || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, n))
    .map((entry) => entry.id);
}

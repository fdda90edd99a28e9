import { fnv1a } from './hash.ts';

/** Buckets of the hashed text space; 4096 keeps a user profile at 16 KB and collisions rare for short posts. */
export const TEXT_BUCKETS = 4096;

/** A sparse hashed term vector: parallel bucket indices and weights. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

// One segmenter for all text: ICU word breaking splits Chinese into words and Latin text at spaces.
let segmenter: Intl.Segmenter | undefined;
function words(text: string): Iterable<Intl.SegmentData> {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  return segmenter.segment(text);
}

const URL_OR_MENTION = /https?:\/\/\S+|@[\w.-]+/gu;
// Short function words that carry no topic; CJK particles are single characters and dropped by length below.
const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'this',
  'that',
  'you',
  'are',
  'was',
  'from',
  'have',
  'has',
  'its',
  'not',
  'but',
  'all',
  'out',
  'new',
  'season',
  'episode',
]);
const HAN_RUN = /\p{Script=Han}{2,}/gu;
const HAN = /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u;

/** Words of a text, lower-cased: URLs, mentions, punctuation, stop words and one-letter Latin words dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  if (!text) return out;
  const cleaned = text.replace(URL_OR_MENTION, ' ').normalize('NFKC').toLowerCase();
  for (const seg of words(cleaned)) {
    if (!seg.isWordLike) continue;
    const w = seg.segment;
    // One Han character is usually a particle (的, 了); one Latin letter is noise.
    if (w.length < 2 && !(HAN.test(w) && /\d/u.test(w))) continue;
    if (STOP.has(w)) continue;
    out.push(w);
  }
  // ICU's dictionary does not know most titles (三体 comes out as 三 + 体), so Han runs also
  // give their character bigrams, the usual fallback for Chinese retrieval.
  for (const run of cleaned.match(HAN_RUN) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i += 1) out.push(`${chars[i]}${chars[i + 1]}`);
  }
  return out;
}

/** The bucket of a token. */
/** The hashed bucket of a token. */
export function bucketOf(token: string): number {
  return fnv1a(token) % TEXT_BUCKETS;
}

/** Term counts per bucket of some tokens, with the first token seen in each bucket (for reasons). */
export function countBuckets(tokens: readonly string[]): Map<number, { count: number; token: string }> {
  const counts = new Map<number, { count: number; token: string }>();
  for (const token of tokens) {
    const b = bucketOf(token);
    const entry = counts.get(b);
    if (entry) entry.count += 1;
    else counts.set(b, { count: 1, token });
  }
  return counts;
}

/** IDF per bucket from document frequencies: log((N+1)/(df+1)) + 1, so unseen buckets weigh most. */
export function idfFromDf(df: Uint32Array, documents: number): Float32Array {
  const idf = new Float32Array(df.length);
  for (let i = 0; i < df.length; i += 1) idf[i] = Math.log((documents + 1) / ((df[i] as number) + 1)) + 1;
  return idf;
}

/** An L2-normalised TF-IDF sparse vector (sublinear tf) of token counts. */
export function tfidf(counts: Map<number, { count: number }>, idf: Float32Array): SparseVector {
  const indices = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let i = 0;
  let norm = 0;
  for (const [b, { count }] of [...counts].sort((a, z) => a[0] - z[0])) {
    const value = (1 + Math.log(count)) * (idf[b] ?? 1);
    indices[i] = b;
    values[i] = value;
    norm += value * value;
    i += 1;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < values.length; j += 1) values[j] = (values[j] as number) * inv;
  }
  return { indices, values };
}

import { BOUNDARY_BEFORE, IDEOGRAPHIC, getClassTable, IDEO, type FoldedText } from './fold.ts';

/**
 * A char trie over folded names, built once per catalog from sorted patterns (no hashing), and
 * stored as typed arrays: a direct table for the root's children, CSR edge lists below it.
 * Scanning tries each start position and walks as deep as the text allows, keeping the deepest
 * pattern whose ends sit on word boundaries: longest match at each position, in one pass for
 * the short start runs that real names give.
 */
export interface NameTrie {
  /** Root transitions by code unit; -1 when no name starts with it. */
  root: Int32Array;
  edgeStart: Int32Array;
  edgeChar: Uint16Array;
  edgeTarget: Int32Array;
  /** For each node, the pattern ending there, or -1. */
  terminal: Int32Array;
  /** Per pattern: the folded name, and whether its first and last units need word boundaries. */
  patterns: string[];
  needsStart: Uint8Array;
  needsEnd: Uint8Array;
}

/** A name found in a folded text, [start, end) in folded units. */
export interface TrieHit {
  pattern: number;
  start: number;
  end: number;
}

/**
 * Builds the trie from names that are already distinct, non-empty and sorted by code unit; a
 * name's pattern index is its position. The linker sorts once and skips the name → index map.
 */
export function buildSortedTrie(distinct: string[]): NameTrie {
  const cls = getClassTable();

  // Nodes in creation order; edges (parent, char, child) arrive sorted by char within a parent.
  let nodeCount = 1;
  let total = 0;
  for (const s of distinct) total += s.length;
  const edgeParent = new Int32Array(total);
  const edgeCharTmp = new Uint16Array(total);
  const edgeChild = new Int32Array(total);
  const terminal = new Int32Array(total + 1).fill(-1);
  let edges = 0;
  const stack: number[] = [0];
  let previous = '';
  for (let p = 0; p < distinct.length; p += 1) {
    const s = distinct[p] as string;
    let lcp = 0;
    const max = Math.min(s.length, previous.length);
    while (lcp < max && s.charCodeAt(lcp) === previous.charCodeAt(lcp)) lcp += 1;
    stack.length = lcp + 1;
    for (let i = lcp; i < s.length; i += 1) {
      const child = nodeCount++;
      edgeParent[edges] = stack[i] as number;
      edgeCharTmp[edges] = s.charCodeAt(i);
      edgeChild[edges] = child;
      edges += 1;
      stack.push(child);
    }
    terminal[stack[s.length] as number] = p;
    previous = s;
  }

  // CSR by parent (counting sort keeps the char order).
  const edgeStart = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edges; e += 1) {
    const slot = (edgeParent[e] as number) + 1;
    edgeStart[slot] = (edgeStart[slot] as number) + 1;
  }
  for (let n = 0; n < nodeCount; n += 1) edgeStart[n + 1] = (edgeStart[n + 1] as number) + (edgeStart[n] as number);
  const fill = edgeStart.slice(0, nodeCount);
  const edgeChar = new Uint16Array(edges);
  const edgeTarget = new Int32Array(edges);
  const root = new Int32Array(65536).fill(-1);
  for (let e = 0; e < edges; e += 1) {
    const parent = edgeParent[e] as number;
    const slot = fill[parent] as number;
    fill[parent] = slot + 1;
    edgeChar[slot] = edgeCharTmp[e] as number;
    edgeTarget[slot] = edgeChild[e] as number;
    if (parent === 0) root[edgeCharTmp[e] as number] = edgeChild[e] as number;
  }

  const needsStart = new Uint8Array(distinct.length);
  const needsEnd = new Uint8Array(distinct.length);
  distinct.forEach((s, i) => {
    needsStart[i] = ((cls[s.charCodeAt(0)] as number) & 3) === IDEO ? 0 : 1;
    needsEnd[i] = ((cls[s.charCodeAt(s.length - 1)] as number) & 3) === IDEO ? 0 : 1;
  });

  return { root, edgeStart, edgeChar, edgeTarget, terminal: terminal.slice(0, nodeCount), patterns: distinct, needsStart, needsEnd };
}

function child(trie: NameTrie, node: number, c: number): number {
  let lo = trie.edgeStart[node] as number;
  let hi = trie.edgeStart[node + 1] as number;
  const chars = trie.edgeChar;
  if (hi - lo <= 8) {
    for (; lo < hi; lo += 1) if (chars[lo] === c) return trie.edgeTarget[lo] as number;
    return -1;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = chars[mid] as number;
    if (m === c) return trie.edgeTarget[mid] as number;
    if (m < c) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/**
 * Finds names in a folded text: at each start the longest name whose edges sit on word
 * boundaries. A hit hides the shorter names inside it unless `keepInside[pattern]` is non-zero
 * (the linker passes its weak-name flags: a weak hit may not be the title, so what is inside it
 * is looked at too).
 */
export function scanTrie(trie: NameTrie, text: FoldedText, keepInside?: Uint8Array): TrieHit[] {
  const hits: TrieHit[] = [];
  const { chars, flags, length } = text;
  const { root, terminal, needsStart, needsEnd } = trie;
  let i = 0;
  while (i < length) {
    const f = flags[i] as number;
    // Every name that starts with a Latin letter or digit needs a boundary before it.
    if ((f & (BOUNDARY_BEFORE | IDEOGRAPHIC)) === 0) {
      i += 1;
      continue;
    }
    let node = root[chars[i] as number] as number;
    if (node < 0) {
      i += 1;
      continue;
    }
    let best = -1;
    let bestEnd = -1;
    let j = i + 1;
    for (;;) {
      const p = terminal[node] as number;
      if (
        p >= 0 &&
        (j === length || needsEnd[p] === 0 || ((flags[j] as number) & BOUNDARY_BEFORE) !== 0) &&
        (needsStart[p] === 0 || (f & BOUNDARY_BEFORE) !== 0)
      ) {
        best = p;
        bestEnd = j;
      }
      if (j >= length) break;
      node = child(trie, node, chars[j] as number);
      if (node < 0) break;
      j += 1;
    }
    if (best >= 0) {
      hits.push({ pattern: best, start: i, end: bestEnd });
      if (keepInside === undefined || keepInside[best] === 0) {
        i = bestEnd;
        continue;
      }
    }
    i += 1;
  }
  return hits;
}

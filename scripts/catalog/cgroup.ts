/**
 * zh Wikipedia's CGroup conversion rules (../shared/data/title-aliases-zhwiki-cgroup, CC BY-SA
 * 4.0): regional Chinese titles of films and series, keyed by the original title.
 */
import { readFileSync } from 'node:fs';
import { foldName } from '../../src/shared/catalog/fold.ts';
import type { GenreId } from '../../src/shared/catalog/genres.ts';
import type { TitleKind } from '../../src/shared/catalog/types.ts';
import { clean, count, draft, type Draft } from './draft.ts';
import { junkReason, type CgroupRow, type TitleEvidence } from './junk-rules.ts';

/** The CGroup rules parsed one per line. */
export const CGROUP = '../shared/data/title-aliases-zhwiki-cgroup/aliases.jsonl';

const GROUP_KIND: Record<string, TitleKind> = {
  Movie: 'film',
  LuaMovie: 'film',
  'TH Movie': 'film',
  'IN Movie': 'film',
  TV: 'series',
  'KO TV Show': 'series',
  Cartoon: 'series',
  Anime: 'other',
  'JP Show': 'other',
  'ZH Show': 'other',
};
/** Groups that say the genre; the others say only a region, which is not a genre (the model reads language from names). */
const GROUP_GENRE: Record<string, GenreId> = { Anime: 'anime', Cartoon: 'animation' };
const HANS = ['zh-cn', 'zh-hans', 'zh-sg', 'zh-my', 'zh'];
const HANT = ['zh-tw', 'zh-hant', 'zh-hk', 'zh-mo'];

/** Drops Wikipedia disambiguation suffixes: "雨果 (电影)", "心跳 (韩国电视剧)", "觸目驚心 (1998)". */
const cleanVariant = (s: string): string => clean(s.replace(/\s*[(（][^()（）]*(?:电影|電影|剧|劇|\d{4})[)）]\s*$/, ''));

/** "The Amateur (2025)" → year 2025; "Alice in Wonderland 2010" → 2010 (keys carry years to tell remakes apart). */
export function splitYear(original: string): { name: string; year?: number } {
  const m = /^(.*?)[\s(]*((?:19|20)\d\d)\)?$/.exec(original);
  if (m && m[1] && !/^\d+$/.test(m[1])) return { name: m[1], year: Number(m[2]) };
  return { name: original };
}

/**
 * The names a CGroup key gives: foreign films are keyed "original (English)" ("Kaze tachinu (The
 * Wind Rises)", "Les Choristes (The Chorus)"), and a few keys invert the article ("Simpsons
 * Movie, The"). Returns the original-language name and the English one, where the key has it.
 */
export function keyNames(name: string): { original: string; en?: string } {
  const uninvert = (s: string): string => s.replace(/^(.*), (The|A|An)$/, '$2 $1');
  const m = /^(.+?)\s*\(([^()]+)\)$/.exec(name);
  if (m?.[1] && m[2] && /^[\x20-\x7e\u00c0-\u024f]+$/.test(m[2]) && /[A-Z]/.test(m[2]) && !/^(?:TV|film|\d+)$/i.test(m[2])) {
    return { original: uninvert(m[1]), en: uninvert(m[2]) };
  }
  return { original: uninvert(name) };
}

/** CGroup rules as drafts; rules about anime already in bangumi-data are merged into those titles. */
export function cgroupTitles(bangumi: Draft[], evidence: TitleEvidence, stats: Record<string, number>): Draft[] {
  const rows = readFileSync(CGROUP, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CgroupRow);
  stats['CGroup rules read'] = rows.length;
  // Bangumi titles by every folded name, to merge the Anime group (and stray anime in others) into them.
  const bangumiByName = new Map<string, Draft>();
  for (const d of bangumi) {
    for (const list of Object.values(d.names)) for (const n of list) if (!bangumiByName.has(foldName(n))) bangumiByName.set(foldName(n), d);
  }
  const drafts = new Map<string, Draft>();
  const out: Draft[] = [];
  for (const row of rows) {
    const reason = junkReason(row, evidence);
    if (reason) {
      count(stats, `dropped: ${reason}`);
      count(stats, `dropped in group ${row.group}`);
      continue;
    }
    const hans = HANS.flatMap((k) => row.variants[k] ?? []).map(cleanVariant);
    const hant = HANT.flatMap((k) => row.variants[k] ?? []).map(cleanVariant);
    const key = clean(row.original ?? hans[0] ?? hant[0] ?? '');
    const { name, year: keyYear } = splitYear(key);
    // "Fear Street Part One: 1994", "Space: 1999": after a colon the number is part of the title,
    // not the year. The id keeps the split form it always had; names and year do not.
    const colonTitle = keyYear !== undefined && /[:：]\s*$/.test(name);
    const year = colonTitle ? undefined : keyYear;
    const kind = GROUP_KIND[row.group] ?? 'other';
    // Merge into a bangumi-data title: the original key equals one of its names (Japanese titles,
    // English titles of anime films), or, in the Anime group, a Chinese title equals one of its names.
    let target = bangumiByName.get(foldName(name));
    if (target && kind === 'series' && target.kind === 'anime-film') target = undefined;
    if (!target && row.group === 'Anime') target = [...hans, ...hant].map((v) => bangumiByName.get(foldName(v))).find(Boolean);
    if (target) count(stats, `merged into a bangumi-data title (${row.group})`);
    if (!target) {
      // Ids come from the key as written, so they stay what they were before names were parsed.
      const prefix = kind === 'film' ? 'film' : kind === 'series' ? 'tv' : 'x';
      const id = `zw:${prefix}:${foldName(name).slice(0, 100)}${keyYear ? `-${keyYear}` : ''}`;
      target = drafts.get(id);
      if (target) count(stats, 'CGroup rules merged with another rule (same original)');
      else {
        target = draft(id, kind);
        drafts.set(id, target);
        out.push(target);
        if (year !== undefined) target.year = year;
      }
      const genre = GROUP_GENRE[row.group];
      if (genre) target.genres.add(genre);
      if (!/^\d+$/.test(name)) {
        const names = keyNames(colonTitle ? key : name);
        target.names.original.add(names.original);
        const latin = /^[\x20-\x7e\u00c0-\u024f]+$/;
        if (['Movie', 'LuaMovie', 'TV', 'Cartoon'].includes(row.group)) {
          if (names.en) target.names.en.add(names.en);
          else if (latin.test(names.original)) target.names.en.add(names.original);
        } else if (names.en) target.aliases.add(names.en);
      }
    } else {
      target.aliases.add(name);
    }
    target.sources.add('zhwiki-cgroup');
    for (const v of hans) target.names['zh-Hans'].add(v);
    for (const v of hant) target.names['zh-Hant'].add(v);
    for (const v of row.unidirectional_sources) target.aliases.add(clean(v));
    const regions = Object.keys(row.variants).filter((k) => k !== 'zh' && k !== 'zh-hans' && k !== 'zh-hant').length;
    target.evidence.cgroupRegions = Math.max(target.evidence.cgroupRegions, regions);
    target.evidence.cgroupNames = new Set([...target.names['zh-Hans'], ...target.names['zh-Hant']].map(foldName)).size;
  }
  return out;
}

/**
 * The catalog's one genre vocabulary: every source's genre words (Douban's and Bilibili's Chinese
 * labels, English Wikipedia's list-table genres) map onto these ids, so "科幻", "科幻片" and
 * "Science Fiction" are one facet for the model and one name in the user's language.
 * docs/catalog-format.md lists the ids and the judgment calls.
 */

/** Genre ids, in the order a genre picker would show them. */
export const GENRE_IDS = [
  'action',
  'adventure',
  'animation',
  'anime',
  'biography',
  'comedy',
  'costume',
  'crime',
  'disaster',
  'documentary',
  'drama',
  'erotic',
  'family',
  'fantasy',
  'film-noir',
  'history',
  'horror',
  'lgbtq',
  'martial-arts',
  'music',
  'musical',
  'mystery',
  'romance',
  'sci-fi',
  'short',
  'silent',
  'sport',
  'thriller',
  'variety',
  'war',
  'western',
] as const;
export type GenreId = (typeof GENRE_IDS)[number];

/** Languages a genre has a display name in. */
export type GenreLang = 'en' | 'zh-Hans' | 'zh-Hant';

/** Display names: English, and Chinese as Douban (zh-Hans) and Taiwan/Hong Kong sites (zh-Hant) write them. */
const NAMES: Record<GenreId, Record<GenreLang, string>> = {
  action: { en: 'Action', 'zh-Hans': '动作', 'zh-Hant': '動作' },
  adventure: { en: 'Adventure', 'zh-Hans': '冒险', 'zh-Hant': '冒險' },
  animation: { en: 'Animation', 'zh-Hans': '动画', 'zh-Hant': '動畫' },
  // Japanese animation as its own audience (番剧); "动漫" is what Chinese viewers call it.
  anime: { en: 'Anime', 'zh-Hans': '动漫', 'zh-Hant': '動漫' },
  biography: { en: 'Biography', 'zh-Hans': '传记', 'zh-Hant': '傳記' },
  comedy: { en: 'Comedy', 'zh-Hans': '喜剧', 'zh-Hant': '喜劇' },
  // 古装: Chinese period drama in costume, a genre of its own on Douban (not the same as 历史).
  costume: { en: 'Period drama', 'zh-Hans': '古装', 'zh-Hant': '古裝' },
  crime: { en: 'Crime', 'zh-Hans': '犯罪', 'zh-Hant': '犯罪' },
  disaster: { en: 'Disaster', 'zh-Hans': '灾难', 'zh-Hant': '災難' },
  documentary: { en: 'Documentary', 'zh-Hans': '纪录片', 'zh-Hant': '紀錄片' },
  drama: { en: 'Drama', 'zh-Hans': '剧情', 'zh-Hant': '劇情' },
  erotic: { en: 'Erotic', 'zh-Hans': '情色', 'zh-Hant': '情色' },
  family: { en: 'Family', 'zh-Hans': '家庭', 'zh-Hant': '家庭' },
  fantasy: { en: 'Fantasy', 'zh-Hans': '奇幻', 'zh-Hant': '奇幻' },
  'film-noir': { en: 'Film noir', 'zh-Hans': '黑色电影', 'zh-Hant': '黑色電影' },
  history: { en: 'History', 'zh-Hans': '历史', 'zh-Hant': '歷史' },
  horror: { en: 'Horror', 'zh-Hans': '恐怖', 'zh-Hant': '恐怖' },
  lgbtq: { en: 'LGBTQ', 'zh-Hans': '同性', 'zh-Hant': '同志' },
  // 武侠 (wuxia) and kung fu are one facet: Douban files both under 武侠, Wikipedia under Martial Arts.
  'martial-arts': { en: 'Martial arts', 'zh-Hans': '武侠', 'zh-Hant': '武俠' },
  music: { en: 'Music', 'zh-Hans': '音乐', 'zh-Hant': '音樂' },
  musical: { en: 'Musical', 'zh-Hans': '歌舞', 'zh-Hant': '歌舞' },
  mystery: { en: 'Mystery', 'zh-Hans': '悬疑', 'zh-Hant': '懸疑' },
  romance: { en: 'Romance', 'zh-Hans': '爱情', 'zh-Hant': '愛情' },
  'sci-fi': { en: 'Science fiction', 'zh-Hans': '科幻', 'zh-Hant': '科幻' },
  short: { en: 'Short', 'zh-Hans': '短片', 'zh-Hant': '短片' },
  silent: { en: 'Silent film', 'zh-Hans': '默片', 'zh-Hant': '默片' },
  sport: { en: 'Sport', 'zh-Hans': '运动', 'zh-Hant': '運動' },
  thriller: { en: 'Thriller', 'zh-Hans': '惊悚', 'zh-Hant': '驚悚' },
  // Reality, talk and variety shows: Chinese viewers call them all 综艺.
  variety: { en: 'Reality & talk shows', 'zh-Hans': '综艺', 'zh-Hant': '綜藝' },
  war: { en: 'War', 'zh-Hans': '战争', 'zh-Hant': '戰爭' },
  western: { en: 'Western', 'zh-Hans': '西部', 'zh-Hant': '西部' },
};

/**
 * Source words that are not an id or a display name, each with the id it means. Keys are folded
 * as `genreKey` folds them. Words that say nothing about the story (Independent, Teen, Political,
 * Live Action) are deliberately absent, so `genreOf` leaves them out.
 */
const WORDS: Record<string, GenreId> = {
  // Douban (simplified) and its traditional forms, where they differ from the display names.
  剧情: 'drama',
  劇情: 'drama',
  儿童: 'family',
  兒童: 'family',
  真人秀: 'variety',
  脱口秀: 'variety',
  脫口秀: 'variety',
  同志: 'lgbtq',
  武侠: 'martial-arts',
  武俠: 'martial-arts',
  功夫: 'martial-arts',
  西部: 'western',
  纪录: 'documentary',
  紀錄: 'documentary',
  纪实: 'documentary',
  紀實: 'documentary',
  记录片: 'documentary',
  紀錄片: 'documentary',
  記錄片: 'documentary',
  默片: 'silent',
  黑色電影: 'film-noir',
  // Bilibili's anime and film index labels.
  搞笑: 'comedy',
  恋爱: 'romance',
  戀愛: 'romance',
  推理: 'mystery',
  热血: 'action',
  熱血: 'action',
  战斗: 'action',
  戰鬥: 'action',
  机战: 'sci-fi',
  機戰: 'sci-fi',
  魔法: 'fantasy',
  神魔: 'fantasy',
  少儿: 'family',
  少兒: 'family',
  亲子: 'family',
  親子: 'family',
  综艺: 'variety',
  綜藝: 'variety',
  音乐剧: 'musical',
  音樂劇: 'musical',
  番剧: 'anime',
  番劇: 'anime',
  日漫: 'anime',
  国创: 'animation',
  國創: 'animation',
  // English Wikipedia's list-table genres (films-wikipedia-en), lower-cased.
  animated: 'animation',
  'science fiction': 'sci-fi',
  scifi: 'sci-fi',
  historical: 'history',
  sports: 'sport',
  noir: 'film-noir',
  // Superhero films are action films first; the vocabulary keeps no separate facet for them.
  superhero: 'action',
  'martial arts': 'martial-arts',
  // Suspense and spy films sit with thrillers (Douban files them under 惊悚).
  suspense: 'thriller',
  spy: 'thriller',
  // Slasher and found-footage films are horror sub-genres.
  slasher: 'horror',
  'found footage': 'horror',
  // Supernatural stories are 奇幻 on Douban unless they are horror, which the row then also says.
  supernatural: 'fantasy',
  satire: 'comedy',
  legal: 'drama',
  erotica: 'erotic',
  dance: 'musical',
  // Concert and performance films.
  performance: 'music',
  biographical: 'biography',
  biopic: 'biography',
  romantic: 'romance',
  'romantic comedy': 'romance',
  lgbt: 'lgbtq',
  reality: 'variety',
  'talk show': 'variety',
  'period drama': 'costume',
};

/** How a genre word is compared: NFKC, lower case, spaces collapsed, a trailing 片/片子 dropped ("科幻片"). */
function genreKey(word: string): string {
  const k = word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();
  return /^\p{Script=Han}{2,}片$/u.test(k) && k !== '纪录片' && k !== '紀錄片' && k !== '短片' ? k.slice(0, -1) : k;
}

const LOOKUP: ReadonlyMap<string, GenreId> = (() => {
  const map = new Map<string, GenreId>();
  for (const id of GENRE_IDS) {
    map.set(genreKey(id), id);
    for (const name of Object.values(NAMES[id])) map.set(genreKey(name), id);
  }
  for (const [word, id] of Object.entries(WORDS)) map.set(genreKey(word), id);
  return map;
})();

/** The vocabulary id a source's genre word means ("科幻", "Science Fiction", "sci-fi" → "sci-fi"), or undefined. */
export function genreOf(word: string): GenreId | undefined {
  return LOOKUP.get(genreKey(word));
}

/** True when `value` is one of the vocabulary's ids. */
export function isGenreId(value: string): value is GenreId {
  return (GENRE_IDS as readonly string[]).includes(value);
}

/** A genre's display name in `lang` ("sci-fi", "zh-Hans" → "科幻"). */
export function genreName(id: GenreId, lang: GenreLang): string {
  return NAMES[id][lang];
}

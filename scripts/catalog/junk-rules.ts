/**
 * Which zh Wikipedia CGroup rules are not titles. The groups are word-conversion tables for
 * articles about films, so beside titles they hold people, studios, channels, awards, festivals,
 * franchises and plain words ("数字电视"). Each rule below is data with the evidence it reads and
 * a comment saying why; `junkReason` applies them in order. A rule that would drop a real
 * title is overruled by evidence that the name is a title: a Wikipedia film row or a
 * bangumi-data entry of that name (`TitleEvidence`).
 */
import { foldName } from '../../src/shared/catalog/fold.ts';

/** The last word of a company's English name: "Fox Films", "Touchstone Pictures", "Turner Broadcasting System". */
const COMPANY_WORD = new RegExp(
  '\\b(?:Films|Studios?|Pictures|Entertainment(?: Group)?|Productions?|Broadcasting(?: System| Company)?' +
    '|Corporation|Records|Network|Channel)$',
);
/** Platform and studio brands that CGroup keeps as keys of their own. */
const BRAND = new RegExp(
  '^(?:Netflix|Lucasfilm|Nickelodeon|HBO|Hulu|Disney\\+?|Walt Disney|Pixar|DreamWorks|Marvel|Warner Bros\\.?|Paramount' +
    '|Hollywood|A24|Cartoon Network|株式会社.*|.*スタジオ)$',
);

/** One CGroup rule as parsed into aliases.jsonl. */
export interface CgroupRow {
  group: string;
  original: string | null;
  variants: Record<string, string[]>;
  unidirectional_sources: string[];
}

/** Evidence from the other sources that a name is a title. */
export interface TitleEvidence {
  /** A Wikipedia film row or a bangumi-data entry has this name (folded). */
  isTitleName(folded: string): boolean;
}

interface JunkRule {
  reason: string;
  /** When true, a Wikipedia film or bangumi-data entry of the same name keeps the rule. */
  evidenceOverrules: boolean;
  test(row: CgroupRow, original: string, variants: readonly string[]): boolean;
}

const zhEnds = (variants: readonly string[], re: RegExp): boolean =>
  variants.some((v) => re.test(v.replace(/\s*[(（][^)）]*[)）]\s*$/, '')));

/** The rules, in the order they are tried; the first that matches names the reason. */
export const JUNK_RULES: readonly JunkRule[] = [
  {
    // The MCU group converts actor surnames and subtitle fragments ("Stark", "Infinity"), not titles.
    reason: 'MCU group: actor surnames and subtitle fragments',
    evidenceOverrules: false,
    test: (row) => row.group === 'MCU',
  },
  {
    // English titles are capitalised; keys whose every word is lower case (or a short acronym) are glossary
    // words: "digital TV", "red carpet", "optical disc". "iZombie", "xXx: …" and "at Home" are titles.
    reason: 'generic word (English key in lower case, e.g. "digital TV")',
    evidenceOverrules: true,
    test: (_row, original) =>
      /^[\x20-\x7e]+$/.test(original) &&
      /^[^A-Za-z0-9]*[a-z]/.test(original) &&
      (original.match(/[A-Za-z]+/g) ?? []).every((w) => /^[a-z]+$/.test(w) || /^[A-Z]{1,3}$/.test(w)),
  },
  {
    // Glossary rows pair lower-case senses ("agent / manager", "children(/s program)", "time, prime") or
    // end in a wildcard ("Academy of *"). Titles with a slash or stars stay: Face/Off, 50/50, M*A*S*H.
    reason: 'generic word (glossary form, e.g. "agent / manager")',
    evidenceOverrules: false,
    test: (_row, original) => /^[a-z][a-z ]*(?:\/|\(\/)|^time,|\s\*$|\((?:TV|World|China)\)/.test(original),
  },
  {
    // Acronyms of picture formats and broadcasters, told by their Chinese: HD 高清, SD 标清, VR 虚拟现实, NHK
    // 日本放送协会, NBC 国家广播公司. Acronym titles stay: ER, FBI, PK, RRR, RBG, EO.
    reason: 'generic word (acronym of a format or broadcaster, e.g. "HD" 高清)',
    evidenceOverrules: true,
    test: (_row, original, variants) =>
      /^[A-Z]{1,4}$/.test(original) && zhEnds(variants, /(?:清|畫質|画质|协会|協會|公司|现实|現實|实境|實境)$/),
  },
  {
    // Award names and ceremonies: "César Awards", 大钟奖 (대종상), 演技大赏, 颁奖典礼, 首映礼. A title may contain
    // 奖 ("壞蛋獎門人") or end in 赏 ("懸紅", a bounty), so only 奖/獎/大赏 at the end, or a ceremony word, count.
    reason: 'award or ceremony',
    evidenceOverrules: true,
    test: (_row, original, variants) =>
      /\bAwards?$|\bAward\b|\bPrize$|Grammy|Oscars?$|Emmy|Golden Globe|상$/.test(original) ||
      zhEnds(variants, /(?:奖|獎|大赏|大賞)$/) ||
      variants.some((v) => /颁奖|頒獎|典礼|典禮|首映禮|首映礼|選擇獎|选择奖/.test(v)),
  },
  {
    // Film festivals: "Festival de Cannes", "Berlinale", "Sundance", 安纳西国际动画电影节, 影展. "Rifkin's Festival"
    // (情迷電影節) is a film: a possessive key is a title.
    reason: 'film festival',
    evidenceOverrules: true,
    test: (_row, original, variants) =>
      /Film Festival|^Festival\b|Berlinale|^Sundance$|^Cannes$|^Annecy$|Mostra del cinema/i.test(original) ||
      (!/'s\b/.test(original) && variants.some((v) => /电影节|電影節|影展|影视节|影視節|映画祭|动画节|動畫節/.test(v))),
  },
  {
    // Franchises: "座頭市 (總稱)" (盲侠, the whole Zatoichi series), "Paranormal Activity (film series)", and film
    // rules whose Chinese names are the series (加勒比海盗系列, 白头神探系列). TV rules ending in 系列 are
    // series titles ("Beast Machines" 百變金剛：重機械系列), so the Chinese test is for film groups only.
    reason: 'franchise (总称, 系列)',
    evidenceOverrules: false,
    test: (row, original, variants) =>
      /總稱|总称|\(系列\)|franchise|film series|\(series\)/i.test(original) ||
      (['Movie', 'LuaMovie'].includes(row.group) && zhEnds(variants, /(?:系列|總稱|总称|电影宇宙|電影宇宙)$/)),
  },
  {
    // Studios, distributors and broadcasters, told by the English key's last word: "Fox Films", "Touchstone
    // Pictures", "Illumination Entertainment", "Pixar Animation Studios", "Turner Broadcasting System"; and
    // platform brands by name. Keys starting "The" are titles ("The Studio"), and so are names with the
    // word inside ("Studio 60 on the Sunset Strip", "Alex, Inc." 我要做老板).
    reason: 'studio, company, channel or platform',
    evidenceOverrules: true,
    test: (_row, original) =>
      (!/^The /.test(original) && COMPANY_WORD.test(original)) ||
      // Brands seen as keys of their own: the companies behind films, not films (迪士尼, 皮克斯, 好莱坞).
      BRAND.test(original),
  },
  {
    // Japanese names written the same in Chinese: 北条司, 濱口竜介, and with a space: 松嶋 菜々子.
    // Only in the Japanese groups, where titles are rarely 2–4 kanji left unconverted.
    reason: 'person name (Japanese name rendered unchanged)',
    evidenceOverrules: true,
    test: (row, original, variants) =>
      (row.group === 'Anime' || row.group === 'JP Show') &&
      (/^\p{Script=Han}{1,3} [\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}々]{1,4}$/u.test(original) ||
        (/^[\p{Script=Han}]{2,4}$/u.test(original) && variants.every((v) => foldName(v) === foldName(original)))),
  },
  {
    // Words for kinds of programme or media, not programmes: アニメドラマ (动画剧集), テレビドラマ (电视剧集),
    // "Festival" (电影节, 影展), and two English words LuaMovie converts as vocabulary ("Band" 乐队, "Guitar"
    // 吉他). A Chinese title that is exactly the plain word outweighs a film of the same English name
    // ("Festival!", 1967), so evidence does not overrule this one.
    reason: 'generic word (kind of programme or plain noun, e.g. 动画剧集)',
    evidenceOverrules: false,
    test: (_row, original, variants) => variants.some((v) => GENERIC_ZH.has(v)) || GENERIC_EN.has(original),
  },
];

/** English keys that are plain nouns in LuaMovie's vocabulary, not titles (each checked by hand: no film of the name has a rule). */
const GENERIC_EN = new Set(['Band', 'Guitar']);

/** Chinese words for kinds of programme or media that CGroup converts like titles. */
const GENERIC_ZH = new Set([
  '动画剧集',
  '動畫劇集',
  '电视剧集',
  '電視劇集',
  '数字电视',
  '數字電視',
  '數位電視',
  '数码电视',
  '數碼電視',
  '电视剧',
  '電視劇',
  '动画',
  '動畫',
  '动画片',
  '動畫片',
  '动画电影',
  '動畫電影',
  '电视电影',
  '電視電影',
  '真人秀',
  '脱口秀',
  '脫口秀',
  '情景喜剧',
  '情景喜劇',
  '迷你剧',
  '迷你劇',
  '电影节',
  '電影節',
  '影展',
  '网络剧',
  '網絡劇',
  '網路劇',
  '综艺节目',
  '綜藝節目',
  '高清',
  '配音员',
  '配音員',
  '声优',
  '聲優',
]);

/**
 * Why a CGroup rule is not a title, or undefined when it is one. `original` is the rule's key
 * without a year suffix; `variants` its Chinese titles.
 */
export function junkReason(row: CgroupRow, evidence: TitleEvidence): string | undefined {
  const original = row.original?.trim() ?? '';
  // TH Movie is the one group whose rules without an original key are still film titles (keyed by Chinese).
  if (original === '' && row.group !== 'TH Movie') return 'conversion-only rule (no original)';
  const variants = Object.values(row.variants).flat();
  if (original === '') return variants.length === 0 ? 'no Chinese title' : undefined;
  const name = original.replace(/\s*\(?(?:19|20)\d\d\)?$/, '');
  for (const rule of JUNK_RULES) {
    if (!rule.test(row, original, variants)) continue;
    if (rule.evidenceOverrules && evidence.isTitleName(foldName(name))) continue;
    return rule.reason;
  }
  if (variants.length === 0 && row.unidirectional_sources.length === 0) return 'no Chinese title';
  return undefined;
}

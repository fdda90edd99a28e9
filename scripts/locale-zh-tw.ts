/**
 * Drafts public/_locales/zh_TW/messages.json from zh_CN with opencc-js (mainland → Taiwan,
 * with Taiwanese phrases: 视频 → 影片, 软件 → 軟體), then applies FIXES: the strings a reader
 * changed after the draft. Placeholders and descriptions are kept as they are.
 * `npx tsx scripts/locale-zh-tw.ts` rewrites the file; review the diff before committing it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as OpenCC from 'opencc-js';

type Messages = Record<string, { message: string; description?: string; placeholders?: Record<string, { content: string }> }>;

const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'twp' });

/** Taiwanese usage the converter does not know, by key: what a reader wrote instead. */
const FIXES: Record<string, string> = {
  errorBackground: '無法連線 Reelflow 背景程式：$MESSAGE$',
  // Brand names stay as the services write them.
  platform_qq: '騰訊視頻',
  platform_tencent_video: '騰訊視頻',
  platform_letv: '樂視視頻',
  platform_tropics: '回歸線娛樂',
  action_crosspost: '交叉發布',
  actionName_crosspost: '交叉轉發',
  // A Douban review is a 評論; a comment on a post is a 留言 (below).
  action_review: '評論',
  actionName_comment: '你的留言',
  healthElement_postText: '貼文內文',
  // Taiwanese says 沒興趣 where the mainland says 不感兴趣.
  optionsTasteRemove: '沒興趣',
  optionsTasteRemoveLabel: '沒興趣：$NAME$',
  optionsTasteHelp: '你的推薦依據的是你做過的事。把不像你的拿掉：Reelflow 不再從中學習並重新訓練；標為「沒興趣」的類型不再推薦。',
  optionsTasteNone: '目前沒有。',
  optionsTasteEmpty: '目前沒有：Reelflow 從你在已開啟網站上的按讚、留言和分享，以及你選的作品中了解你的口味。',
};

/** Word-level fixes applied to every drafted string (mainland terms the converter leaves). */
const WORDS: [RegExp, string][] = [
  [/帖子/g, '貼文'],
  [/帖/g, '貼文'],
  [/豆瓣條目頁/g, '豆瓣條目頁面'],
  [/數據/g, '資料'],
  [/默認/g, '預設'],
  [/導出/g, '匯出'],
  [/導入/g, '匯入'],
  [/點贊/g, '按讚'],
  [/點讚/g, '按讚'],
  [/屏幕/g, '螢幕'],
  [/賬號/g, '帳號'],
  [/鏈接/g, '連結'],
  [/連接/g, '連結'],
  [/設置/g, '設定'],
  [/信息/g, '資訊'],
  [/搜索/g, '搜尋'],
  [/文件/g, '檔案'],
  [/網絡/g, '網路'],
  [/緩存/g, '快取'],
  [/許可權/g, '權限'],
  [/釋出/g, '發布'],
  [/撤銷/g, '復原'],
  [/匹配/g, '符合'],
  [/反饋/g, '回饋'],
  [/質量/g, '品質'],
  [/型別/g, '類型'],
  [/擴充套件/g, '擴充功能'],
  [/條相關貼文/g, '則相關貼文'],
  // Comments on social posts are 留言 in Taiwan; "commented on N posts" reads as "left a comment under N posts".
  [/評論過(\$COUNT\$|1)則相關貼文/g, '在$1則相關貼文下留言過'],
  [/評論/g, '留言'],
  [/打開了/g, '開啟了'],
  [/標籤頁/g, '分頁'],
  // Records are counted with 筆 and written 紀錄; posts are counted with 則.
  [/條記錄/g, '筆紀錄'],
  [/兩條 id/g, '兩筆 id'],
  [/那條記錄/g, '那筆紀錄'],
  [/(操作|歷史)記錄/g, '$1紀錄'],
  [/那些記錄/g, '那些紀錄'],
  [/ \$P1\$ 記錄/g, ' $P1$ 紀錄'],
  [/條貼文/g, '則貼文'],
  [/推薦效果/g, '推薦成效'],
  // Taiwan quotes with 「」.
  [/“([^”]*)”/g, '「$1」'],
  [/贊過/g, '按讚過'],
  [/臺/g, '台'],
];

const zh = JSON.parse(readFileSync('public/_locales/zh_CN/messages.json', 'utf8')) as Messages;
const out: Messages = {};
for (const [key, entry] of Object.entries(zh)) {
  let message = FIXES[key] ?? toTaiwan(entry.message);
  if (!(key in FIXES)) for (const [pattern, replacement] of WORDS) message = message.replace(pattern, replacement);
  out[key] = { ...entry, message };
}
mkdirSync('public/_locales/zh_TW', { recursive: true });
writeFileSync('public/_locales/zh_TW/messages.json', `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote public/_locales/zh_TW/messages.json (${Object.keys(out).length} messages)`);

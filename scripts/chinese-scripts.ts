import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

/** A title's Chinese names, in simplified and traditional script. */
export interface ChineseNames {
  'zh-Hans': Set<string>;
  'zh-Hant': Set<string>;
}

/**
 * A title named in only one Chinese script gets the other by conversion (opencc-js, phrases
 * included), so a reader of simplified Chinese is not shown traditional characters, nor the
 * reverse, and every Chinese-named title has the mainland name its Bilibili search link needs.
 * The sources' own names are never replaced, only a missing script filled. Returns 1 when it
 * filled one, else 0 (for the build's stats).
 */
export function fillChineseScripts(names: ChineseNames): number {
  const [from, to, convert] =
    names['zh-Hans'].size === 0
      ? (['zh-Hant', 'zh-Hans', toSimplified] as const)
      : names['zh-Hant'].size === 0
        ? (['zh-Hans', 'zh-Hant', toTraditional] as const)
        : [];
  if (!from || names[from].size === 0) return 0;
  for (const name of [...names[from]]) names[to].add(convert(name));
  return 1;
}

/**
 * Team-draft interleaving (Radlinski, Kurup & Joachims, CIKM 2008): two rankings take turns, like
 * captains picking teams, each adding its best item not yet picked; a coin decides who picks first
 * in each round. Clicks are credited to the team that contributed the clicked item.
 */
export type Team = 'A' | 'B';

export interface InterleavedItem {
  titleId: string;
  team: Team;
}

/** Interleaves two rankings of title ids into at most `k` items, each credited to one team. */
export function teamDraftInterleave(a: readonly string[], b: readonly string[], k: number, random: () => number): InterleavedItem[] {
  const picked = new Set<string>();
  const out: InterleavedItem[] = [];
  let countA = 0;
  let countB = 0;
  let ia = 0;
  let ib = 0;
  const nextOf = (list: readonly string[], index: number): number => {
    let i = index;
    while (i < list.length && picked.has(list[i] as string)) i += 1;
    return i;
  };
  while (out.length < k) {
    ia = nextOf(a, ia);
    ib = nextOf(b, ib);
    const aLeft = ia < a.length;
    const bLeft = ib < b.length;
    if (!aLeft && !bLeft) break;
    const aTurn = aLeft && (!bLeft || countA < countB || (countA === countB && random() < 0.5));
    if (aTurn) {
      const id = a[ia] as string;
      picked.add(id);
      out.push({ titleId: id, team: 'A' });
      countA += 1;
    } else {
      const id = b[ib] as string;
      picked.add(id);
      out.push({ titleId: id, team: 'B' });
      countB += 1;
    }
  }
  return out;
}

/** The outcome of one shown list: which team got more clicks (ties and no-click lists say 'tie'). */
export function creditClicks(list: readonly InterleavedItem[], clickedTitleIds: ReadonlySet<string>): Team | 'tie' {
  let a = 0;
  let b = 0;
  for (const item of list) {
    if (!clickedTitleIds.has(item.titleId)) continue;
    if (item.team === 'A') a += 1;
    else b += 1;
  }
  return a > b ? 'A' : b > a ? 'B' : 'tie';
}

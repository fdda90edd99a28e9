/** Top-k ranking metrics with binary relevance, per user; average them over users. */

function hits(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): boolean[] {
  return ranked.slice(0, k).map((id) => relevant.has(id));
}

/** Relevant items in the top k, over k. */
export function precisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (k <= 0) return 0;
  return hits(ranked, relevant, k).filter(Boolean).length / k;
}

/** Relevant items in the top k, over all relevant items. */
export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return hits(ranked, relevant, k).filter(Boolean).length / relevant.size;
}

/** Harmonic mean of precision@k and recall@k. */
export function f1AtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const p = precisionAtK(ranked, relevant, k);
  const r = recallAtK(ranked, relevant, k);
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

/** DCG of the top k over the DCG of an ideal list. */
export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  hits(ranked, relevant, k).forEach((hit, i) => {
    if (hit) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i += 1) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Average precision at k: mean of precision at each hit rank, over min(k, |relevant|). */
export function averagePrecisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let found = 0;
  let sum = 0;
  hits(ranked, relevant, k).forEach((hit, i) => {
    if (hit) {
      found += 1;
      sum += found / (i + 1);
    }
  });
  return sum / Math.min(k, relevant.size);
}

/** Share of the catalog that appears in at least one user's top k. */
export function coverage(lists: readonly (readonly string[])[], catalogSize: number, k: number): number {
  if (catalogSize <= 0) return 0;
  const seen = new Set<string>();
  for (const list of lists) for (const id of list.slice(0, k)) seen.add(id);
  return seen.size / catalogSize;
}

export interface MetricSummary {
  precision: number;
  recall: number;
  f1: number;
  ndcg: number;
  map: number;
  coverage: number;
  users: number;
}

/** Mean metrics over users (users without relevant items are skipped) and catalog coverage. */
export function summarize(
  results: readonly { ranked: readonly string[]; relevant: ReadonlySet<string> }[],
  catalogSize: number,
  k: number,
): MetricSummary {
  const users = results.filter((r) => r.relevant.size > 0);
  const mean = (f: (r: (typeof users)[number]) => number): number =>
    users.length === 0 ? 0 : users.reduce((s, r) => s + f(r), 0) / users.length;
  return {
    precision: mean((r) => precisionAtK(r.ranked, r.relevant, k)),
    recall: mean((r) => recallAtK(r.ranked, r.relevant, k)),
    f1: mean((r) => f1AtK(r.ranked, r.relevant, k)),
    ndcg: mean((r) => ndcgAtK(r.ranked, r.relevant, k)),
    map: mean((r) => averagePrecisionAtK(r.ranked, r.relevant, k)),
    coverage: coverage(
      users.map((r) => r.ranked),
      catalogSize,
      k,
    ),
    users: users.length,
  };
}

/** The local funnel: suggestions shown (impressions) and watch-link clicks, grouped for the insights page. */
export interface FunnelImpression {
  titleId: string;
  at: number;
  strategy: string;
  /** The site of the post its reason stood on when shown, if any. */
  site?: string;
}

export interface FunnelClick {
  titleId: string;
  at: number;
  platform?: string;
}

export interface FunnelRow {
  key: string;
  impressions: number;
  clicks: number;
  /** clicks / impressions, 0 when nothing was shown. */
  ctr: number;
}

/** Local calendar day (YYYY-MM-DD) of a timestamp; `offsetMinutes` as Date#getTimezoneOffset gives it. */
export function dayOf(at: number, offsetMinutes = 0): string {
  return new Date(at - offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * Groups impressions and clicks by a key. A key function may return undefined for a record it
 * cannot place (e.g. an impression has no platform); such records count only in the total row.
 */
export function groupFunnel(
  impressions: readonly FunnelImpression[],
  clicks: readonly FunnelClick[],
  impressionKey: (i: FunnelImpression) => string | undefined,
  clickKey: (c: FunnelClick) => string | undefined,
): FunnelRow[] {
  const rows = new Map<string, { impressions: number; clicks: number }>();
  const row = (key: string): { impressions: number; clicks: number } => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { impressions: 0, clicks: 0 }));
    return r;
  };
  for (const i of impressions) {
    const key = impressionKey(i);
    if (key !== undefined) row(key).impressions += 1;
  }
  for (const c of clicks) {
    const key = clickKey(c);
    if (key !== undefined) row(key).clicks += 1;
  }
  return [...rows.entries()]
    .map(([key, r]) => ({ key, ...r, ctr: r.impressions > 0 ? r.clicks / r.impressions : 0 }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** One CSV cell: quoted when needed, and defused when a spreadsheet would run it as a formula. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as RFC 4180 CSV with a header line. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

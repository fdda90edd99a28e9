/** The social sites Reelflow can capture from, and the host names each one serves. */
export const SITE_IDS = ['x', 'youtube', 'reddit', 'weibo', 'bilibili', 'douban'] as const;

export type SiteId = (typeof SITE_IDS)[number];

/** Host names per site; the manifest's match patterns must list the same hosts (checked by test/shared/sites.test.ts). */
export const SITE_HOSTS: Readonly<Record<SiteId, readonly string[]>> = {
  x: ['x.com', 'twitter.com'],
  youtube: ['www.youtube.com'],
  reddit: ['www.reddit.com', 'old.reddit.com'],
  weibo: ['weibo.com', 'm.weibo.cn'],
  bilibili: ['www.bilibili.com', 't.bilibili.com'],
  douban: ['movie.douban.com', 'www.douban.com'],
};

/** The site a host name belongs to, or undefined for any other host. */
export function siteForHost(hostname: string): SiteId | undefined {
  const host = hostname.toLowerCase();
  return SITE_IDS.find((site) => SITE_HOSTS[site].includes(host));
}

/** Match patterns (https only) for one site, as used by host permissions. */
export function originPatterns(site: SiteId): string[] {
  return SITE_HOSTS[site].map((host) => `https://${host}/*`);
}

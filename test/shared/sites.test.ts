import { describe, expect, it } from 'vitest';
import { SITES, SITE_IDS, originPatterns, siteForHost } from '../../src/shared/sites.ts';
import { manifestFor } from '../../vite.config.ts';

type Manifest = { host_permissions?: string[]; optional_host_permissions?: string[]; content_scripts?: unknown[]; permissions: string[] };

describe('sites', () => {
  it('maps hosts to sites and nothing else', () => {
    expect(siteForHost('x.com')).toBe('x');
    expect(siteForHost('MOVIE.DOUBAN.COM')).toBe('douban');
    expect(siteForHost('evil-x.com')).toBeUndefined();
    expect(siteForHost('x.com.evil.test')).toBeUndefined();
  });

  it.each(['chrome', 'firefox'] as const)(
    'asks for exactly the hosts the code knows, all optional, and injects nothing by itself (%s)',
    (target) => {
      const manifest = manifestFor(target) as Manifest;
      const patterns = SITE_IDS.flatMap(originPatterns).sort();
      expect([...(manifest.optional_host_permissions ?? [])].sort()).toEqual(patterns);
      expect(patterns).toContain('https://movie.douban.com/*');
      // Granted per site when the user turns it on (src/background/site-access.ts), never at install.
      expect(manifest.host_permissions).toBeUndefined();
      expect(manifest.content_scripts).toBeUndefined();
      expect(manifest.permissions).toContain('scripting');
      expect(SITES.map((site) => site.id)).toEqual([...SITE_IDS]);
    },
  );
});

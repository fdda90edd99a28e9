import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SITE_HOSTS, SITE_IDS, originPatterns, siteForHost } from '../../src/shared/sites.ts';

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as {
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches: string[] }[];
  permissions: string[];
};

describe('sites', () => {
  it('maps hosts to sites and nothing else', () => {
    expect(siteForHost('x.com')).toBe('x');
    expect(siteForHost('MOVIE.DOUBAN.COM')).toBe('douban');
    expect(siteForHost('evil-x.com')).toBeUndefined();
    expect(siteForHost('x.com.evil.test')).toBeUndefined();
  });

  it('asks for exactly the hosts the code knows, all optional, and injects nothing by itself', () => {
    const patterns = SITE_IDS.flatMap(originPatterns).sort();
    expect([...(manifest.optional_host_permissions ?? [])].sort()).toEqual(patterns);
    // Granted per site when the user turns it on (src/background/site-access.ts), never at install.
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.content_scripts).toBeUndefined();
    expect(manifest.permissions).toContain('scripting');
    expect(Object.keys(SITE_HOSTS).sort()).toEqual([...SITE_IDS].sort());
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SITE_HOSTS, SITE_IDS, originPatterns, siteForHost } from '../../src/shared/sites.ts';

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as {
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts: { matches: string[] }[];
};

describe('sites', () => {
  it('maps hosts to sites and nothing else', () => {
    expect(siteForHost('x.com')).toBe('x');
    expect(siteForHost('MOVIE.DOUBAN.COM')).toBe('douban');
    expect(siteForHost('evil-x.com')).toBeUndefined();
    expect(siteForHost('x.com.evil.test')).toBeUndefined();
  });

  it('lists in the manifest exactly the hosts the code knows', () => {
    const patterns = SITE_IDS.flatMap(originPatterns).sort();
    const declared = [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])].sort();
    expect(declared).toEqual(patterns);
    expect(manifest.content_scripts.flatMap((c) => c.matches).sort()).toEqual(patterns);
    expect(Object.keys(SITE_HOSTS).sort()).toEqual([...SITE_IDS].sort());
  });
});

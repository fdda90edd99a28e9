import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildItemItemRows } from '../../scripts/catalog-item-item.ts';
import { parseCatalog } from '../../src/shared/catalog/schema.ts';
import { buildUserContext, catalogFeatures, FEATURE_INDEX, FEATURE_WIDTH } from '../../src/shared/model/features.ts';
import { cleanEvents } from '../../src/shared/model/clean.ts';
import { DEFAULT_PROFILE_OPTIONS, buildProfile } from '../../src/shared/model/profile.ts';
import { buildTitleIndex } from '../../src/shared/model/title-index.ts';
import { linkedEvent } from '../fixtures/catalog.ts';

const dir = mkdtempSync(join(tmpdir(), 'item-item-'));
const titleIds = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'lonely'];
const catalogFile = join(dir, 'catalog.json');
writeFileSync(
  catalogFile,
  JSON.stringify({
    format: 2,
    version: 't',
    attributions: [],
    titles: titleIds.map((id) => ({ id, kind: 'film', titles: { en: [id] } })),
  }),
);
/** Two audiences: 12 users of the a-titles, 12 of the b-titles, each missing one of their three. */
function interactions(extra = ''): string {
  const lines = ['user,title_id'];
  for (let u = 0; u < 24; u += 1) {
    const group = u < 12 ? 'a' : 'b';
    for (let i = 1; i <= 3; i += 1) if (i !== (u % 3) + 1 || u % 4 === 0) lines.push(`u${u},${group}${i}`);
  }
  return `${lines.join('\n')}\nu0,a1\nu1,not-in-catalog\n${extra}`;
}

describe('catalog:item-item', () => {
  it('learns rows from the interactions, writes a format-3 catalog, and a user of the a-titles gets a-titles', () => {
    const file = join(dir, 'in.csv');
    writeFileSync(file, interactions());
    const out = join(dir, 'out.json');
    const result = buildItemItemRows({ interactions: file, catalog: catalogFile, out, rank: 4 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary).toMatchObject({ titlesWithRows: 6, rank: 4, users: 24, unknownTitles: 1 });
    expect(result.summary.tried.length).toBeGreaterThan(1); // λ chosen on validation carved from the file
    const parsed = parseCatalog(readFileSync(out, 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.catalog.format).toBe(3);
    expect(parsed.catalog.titles.find((t) => t.id === 'lonely')?.itemItem).toBeUndefined();
    const index = buildTitleIndex(parsed.catalog.titles);
    const now = 1_760_000_000_000;
    const profile = buildProfile(cleanEvents([linkedEvent('a1', { at: now })], { now }), index, { ...DEFAULT_PROFILE_OPTIONS, now });
    const x = catalogFeatures(buildUserContext(index, profile, { now }));
    const score = (id: string): number => x[(index.byId.get(id) as number) * FEATURE_WIDTH + FEATURE_INDEX['item-item']] as number;
    expect(Math.min(score('a2'), score('a3'))).toBeGreaterThan(Math.max(score('b1'), score('b2'), score('b3')));
  });

  it('takes a given λ, and refuses a bad header or line, writing nothing', () => {
    const file = join(dir, 'given.csv');
    writeFileSync(file, interactions());
    const given = buildItemItemRows({ interactions: file, catalog: catalogFile, out: join(dir, 'given.json'), rank: 2, lambda: 3 });
    expect(given.ok && given.summary).toMatchObject({ lambda: 3, tried: [] });
    const badHeader = join(dir, 'header.csv');
    writeFileSync(badHeader, 'userid,title\nu1,a1\n');
    expect(buildItemItemRows({ interactions: badHeader, catalog: catalogFile, out: join(dir, 'x.json') })).toEqual({
      ok: false,
      errors: [`${badHeader}:1: the header must be user,title_id`],
    });
    const badLine = join(dir, 'line.csv');
    writeFileSync(badLine, interactions('u3\n'));
    const refused = buildItemItemRows({ interactions: badLine, catalog: catalogFile, out: join(dir, 'y.json') });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors[0]).toMatch(/line\.csv:\d+: expected user,title_id/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleIds } from '../../../scripts/catalog/sample.ts';
import { parseCatalog } from '../../../src/shared/catalog/schema.ts';
import { readDefaultCatalogText } from '../../fixtures/default-catalog.ts';

interface Labelled {
  id: string;
  name: string;
  /** What the title is, by hand. */
  kind: string;
  /** What the catalog says, where that differs (the note says why). */
  catalogKind?: string;
  junk: boolean;
  note: string;
}
const fixture = JSON.parse(readFileSync('test/fixtures/catalog/sample-200.json', 'utf8')) as {
  seed: number;
  size: number;
  titles: Labelled[];
};

describe('a hand-labelled random sample of the default catalog', () => {
  const parsed = parseCatalog(readDefaultCatalogText());
  if (!parsed.ok) throw new Error(parsed.error);
  const byId = new Map(parsed.catalog.titles.map((t) => [t.id, t]));

  it('is the sample the seed draws from the catalog (a rebuilt catalog needs labels only for the titles new to the sample)', () => {
    expect(sampleIds([...byId.keys()], fixture.size, fixture.seed)).toEqual(fixture.titles.map((t) => t.id));
  });

  it('holds no junk, and every title has the kind it was labelled with', () => {
    expect(fixture.titles.filter((t) => t.junk).map((t) => `${t.id}: ${t.note}`)).toEqual([]);
    for (const label of fixture.titles) expect(byId.get(label.id)?.kind, `${label.id} ${label.name}`).toBe(label.catalogKind ?? label.kind);
    // Where the sources cannot say the kind, the catalog says "other"; nothing else may differ.
    for (const label of fixture.titles.filter((t) => t.catalogKind !== undefined)) expect(label.catalogKind, label.id).toBe('other');
  });
});

describe('sampleIds', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `t:${i}`);
  const sample = sampleIds(ids, 200, 7);

  it('draws n distinct ids, whatever the order of the input', () => {
    expect(new Set(sample).size).toBe(200);
    expect(sampleIds([...ids].reverse(), 200, 7)).toEqual(sample);
    expect(sampleIds(ids, 200, 8)).not.toEqual(sample);
  });

  it('changes only a few members when a few ids are added or removed', () => {
    const removed = sample.slice(0, 3);
    const changed = [...ids.filter((id) => !removed.includes(id)), 'new:1', 'new:2', 'new:3'];
    const redrawn = sampleIds(changed, 200, 7);
    expect(redrawn.filter((id) => !sample.includes(id)).length).toBeLessThanOrEqual(6);
    expect(sample.filter((id) => !redrawn.includes(id)).length).toBeLessThanOrEqual(6);
  });
});

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

  it('is the sample the seed draws from the committed catalog (a rebuilt catalog needs a new labelled sample)', () => {
    expect(sampleIds([...byId.keys()], fixture.size, fixture.seed)).toEqual(fixture.titles.map((t) => t.id));
  });

  it('holds no junk, and every title has the kind it was labelled with', () => {
    expect(fixture.titles.filter((t) => t.junk).map((t) => `${t.id}: ${t.note}`)).toEqual([]);
    for (const label of fixture.titles) expect(byId.get(label.id)?.kind, `${label.id} ${label.name}`).toBe(label.catalogKind ?? label.kind);
    // Where the sources cannot say the kind, the catalog says "other"; nothing else may differ.
    for (const label of fixture.titles.filter((t) => t.catalogKind !== undefined)) expect(label.catalogKind, label.id).toBe('other');
  });
});

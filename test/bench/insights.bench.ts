import { evaluateHoldout } from '../../src/shared/model/holdout.ts';
import { trainLogistic, priorModel } from '../../src/shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../src/shared/model/pipeline.ts';
import { buildTitleIndex } from '../../src/shared/model/title-index.ts';
import { fixtureCatalog, linkedEvent } from '../fixtures/catalog.ts';
import { quantile, sample, type BenchSuite } from './figures.ts';

/**
 * The cost of the on-device metrics after a retrain (issue 7), against the retrain itself (plain
 * trainer, same pipeline) in the same run. Catalog: the fixture titles repeated to 3,000.
 */
const suite: BenchSuite = {
  name: 'insights',
  async run() {
    const base = fixtureCatalog();
    const catalog = Array.from({ length: 3000 }, (_, i) => {
      const t = base[i % base.length] as (typeof base)[number];
      return { ...t, id: `${t.id}-${i}`, popularity: ((i * 7919) % 1000) / 1000 };
    });
    const index = buildTitleIndex(catalog);
    const t0 = Date.UTC(2026, 0, 1);
    const events = Array.from({ length: 120 }, (_, i) =>
      linkedEvent(`${(base[i % base.length] as (typeof base)[number]).id}-${i * 11}`, { at: t0 + i * 3_600_000 }),
    );
    const now = t0 + 200 * 3_600_000;
    const retrain = await sample(
      () => {
        const prepared = prepareUser({ index, events, feedback: [], impressions: [], now });
        rankCatalog(prepared, trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }));
      },
      400,
      3,
    );
    const metrics = await sample(() => evaluateHoldout({ index, events, feedback: [], impressions: [], now }, trainLogistic), 400, 3);
    const m = quantile(metrics, 0.5);
    const r = quantile(retrain, 0.5);
    return [
      {
        name: 'holdout metrics after a retrain (120 events, 3,000 titles, 3 strategies)',
        value: m,
        unit: 'ms',
        reference: { name: 'the retrain itself (prepare, train, rank)', value: r, unit: 'ms' },
        ratio: m / r,
      },
    ];
  },
};
export default suite;

import { envelope, parseEnvelope } from '../../src/shared/messages.ts';
import { xLike } from '../fixtures/events.ts';
import { quantile, sample, type BenchSuite } from './figures.ts';

/** Cost of validating one capture message in the background, against a structuredClone of it. */
const suite: BenchSuite = {
  name: 'messages',
  async run() {
    const message = envelope('capture:event', xLike());
    const n = 1000;
    const validate = await sample(() => {
      for (let i = 0; i < n; i += 1) parseEnvelope(message);
    });
    const clone = await sample(() => {
      for (let i = 0; i < n; i += 1) structuredClone(message);
    });
    const perValidate = (quantile(validate, 0.5) / n) * 1000;
    const perClone = (quantile(clone, 0.5) / n) * 1000;
    return [
      {
        name: 'validate capture:event',
        value: perValidate,
        unit: 'µs/msg',
        reference: { name: 'structuredClone of the same message', value: perClone, unit: 'µs/msg' },
        ratio: perValidate / perClone,
      },
    ];
  },
};
export default suite;

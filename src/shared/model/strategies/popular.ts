import { FEATURE_INDEX, FEATURE_WIDTH } from '../features.ts';
import { defineStrategy } from './types.ts';

/** Most popular first: the catalog's prior alone. */
export default defineStrategy({
  name: 'popular',
  learned: false,
  model: () => {
    const weights = new Float32Array(FEATURE_WIDTH);
    weights[FEATURE_INDEX.popularity] = 4;
    return { weights, bias: -4 };
  },
});

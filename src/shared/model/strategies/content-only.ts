import { FEATURE_INDEX, FEATURE_WIDTH } from '../features.ts';
import { priorModel } from '../logistic.ts';
import { defineStrategy } from './types.ts';

const CONTENT = ['text', 'genre', 'kind', 'language', 'era', 'people', 'hashtag'] as const;

/** Content similarity only (the prior's content weights), with popularity as a faint tie-breaker. */
export default defineStrategy({
  name: 'content-only',
  learned: false,
  model: () => {
    const prior = priorModel();
    const weights = new Float32Array(FEATURE_WIDTH);
    for (const f of CONTENT) weights[FEATURE_INDEX[f]] = prior.weights[FEATURE_INDEX[f]] as number;
    weights[FEATURE_INDEX.popularity] = 0.2;
    return { weights, bias: prior.bias };
  },
});

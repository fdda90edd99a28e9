import { defineStrategy } from './types.ts';

/** The learned logistic model, as trained for this user. */
export default defineStrategy({
  name: 'model',
  learned: true,
  model: (trained) => trained,
});

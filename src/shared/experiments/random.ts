/** Experiments draw from the model's seeded PRNG (mulberry32), so A/B runs are reproducible too. */
export { createRng as seededRandom } from '../model/random.ts';

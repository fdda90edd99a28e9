import type { LogisticModel } from '../logistic.ts';

/**
 * A ranking strategy turns the user's trained model into the linear model that ranks the
 * catalog, so every strategy shares scoring, reasons, exploration and caps (A/B: issue on experiments).
 */
export interface Strategy {
  name: string;
  /** Whether the strategy uses the user's learned weights (false: a fixed baseline). */
  learned: boolean;
  model(trained: LogisticModel): LogisticModel;
}

/** Identity helper for typing a strategy file. */
export function defineStrategy(strategy: Strategy): Strategy {
  return strategy;
}

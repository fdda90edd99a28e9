import contentOnly from './content-only.ts';
import model from './model.ts';
import popular from './popular.ts';
import type { Strategy } from './types.ts';

export type { Strategy } from './types.ts';

/** Every registered strategy by name; a new strategy is one file plus one line here. */
export const STRATEGIES: Readonly<Record<string, Strategy>> = Object.fromEntries([model, contentOnly, popular].map((s) => [s.name, s]));

const DEFAULT_STRATEGY = 'model';

/** The strategy of that name, or the default when the name is unknown. */
export function getStrategy(name: string): Strategy {
  return STRATEGIES[name] ?? (STRATEGIES[DEFAULT_STRATEGY] as Strategy);
}

import type { SiteId } from '../../shared/sites.ts';
import type { SiteAdapter } from '../adapter.ts';
import x from './x.ts';

/** Every site adapter, by site id. A new site is a new file in this folder plus one line here. */
export const ADAPTERS: Partial<Record<SiteId, SiteAdapter>> = { x };

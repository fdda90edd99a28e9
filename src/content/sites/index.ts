import type { SiteId } from '../../shared/sites.ts';
import type { SiteAdapter } from '../adapter.ts';

// Every adapter file in this folder, bundled in: a new site's adapter registers itself by being here
// (test/content/conformance.test.ts checks each one against its site record).
const modules = import.meta.glob<{ default: SiteAdapter }>(['./*.ts', '!./index.ts'], { eager: true });

/** Every site adapter, by site id. */
export const ADAPTERS: Partial<Record<SiteId, SiteAdapter>> = Object.fromEntries(
  Object.values(modules).map((module) => [module.default.id, module.default]),
);

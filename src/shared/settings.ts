import * as v from 'valibot';
import { ACTION_KINDS } from './events.ts';
import { SITE_IDS, type SiteId } from './sites.ts';

/** Settings format version; bump it and add a step to SETTINGS_MIGRATIONS when the shape changes. */
const SETTINGS_VERSION = 1;

const siteSettings = v.strictObject({
  enabled: v.boolean(),
  /** Action kinds captured on this site. */
  actions: v.array(v.picklist(ACTION_KINDS)),
});

/** Keys taken out of one facet of the taste profile: bounded, as anything an import can carry. */
const tasteKeys = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(256))), v.maxLength(1000));

export const SettingsSchema = v.strictObject({
  version: v.literal(SETTINGS_VERSION),
  /** Pause all capture. */
  paused: v.boolean(),
  sites: v.strictObject(Object.fromEntries(SITE_IDS.map((site) => [site, siteSettings])) as Record<SiteId, typeof siteSettings>),
  /** Days events are kept; a periodic sweep deletes older ones. */
  retentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
  /** 'full' keeps post text; 'links' keeps only ids, links, hashtags and titles. */
  textKept: v.picklist(['full', 'links']),
  platforms: v.array(v.pipe(v.string(), v.maxLength(64))),
  region: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)),
  suggestionsPerDay: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
  onboarded: v.boolean(),
  /** A count on the toolbar icon for the tab where a capture was stored (absent in older records: on). */
  captureBadge: v.optional(v.boolean()),
  /** What the user took out of their taste profile (src/shared/model/taste.ts); absent: nothing. */
  taste: v.optional(
    v.strictObject({
      genres: tasteKeys,
      people: tasteKeys,
      titles: tasteKeys,
      sites: v.pipe(v.array(v.picklist(SITE_IDS)), v.maxLength(SITE_IDS.length)),
    }),
  ),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;

/**
 * The region a browser language implies, for watch links: zh-CN → CN, zh-TW → TW, zh-HK → HK,
 * en-GB → GB; a language alone takes its likeliest region (zh → CN, ja → JP, en → US).
 */
export function regionForLocale(locale: string | undefined): string {
  if (!locale) return 'US';
  try {
    const region = new Intl.Locale(locale.replace('_', '-')).maximize().region;
    return region && /^[A-Z]{2}$/.test(region) ? region : 'US';
  } catch {
    return 'US';
  }
}

/** The defaults a new install starts with: every site off until the user enables it; the region from the browser's language. */
export function defaultSettings(locale?: string): Settings {
  const sites = Object.fromEntries(SITE_IDS.map((site) => [site, { enabled: false, actions: [...ACTION_KINDS] }])) as Settings['sites'];
  return {
    version: SETTINGS_VERSION,
    paused: false,
    sites,
    retentionDays: 90,
    textKept: 'full',
    platforms: [],
    region: regionForLocale(locale),
    suggestionsPerDay: 20,
    onboarded: false,
  };
}

/** Steps from an older settings shape to the next one, keyed by the version they upgrade from. */
const SETTINGS_MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

/**
 * Reads stored settings: migrates older shapes, fills missing fields from the defaults, and
 * falls back to the defaults (reporting why) when what is stored cannot be read.
 */
export function loadSettings(stored: unknown, locale?: string): { settings: Settings; problem?: string } {
  if (stored === undefined || stored === null) return { settings: defaultSettings(locale) };
  if (typeof stored !== 'object') return { settings: defaultSettings(locale), problem: 'stored settings are not an object' };
  let record = { ...(stored as Record<string, unknown>) };
  let version = typeof record.version === 'number' ? record.version : 0;
  while (version < SETTINGS_VERSION) {
    const step = SETTINGS_MIGRATIONS[version];
    if (step) record = step(record);
    version += 1;
    record.version = version;
  }
  const defaults = defaultSettings(locale);
  const merged = {
    ...defaults,
    ...record,
    sites: { ...defaults.sites, ...(record.sites as object | undefined) },
  };
  const result = v.safeParse(SettingsSchema, merged);
  if (result.success) return { settings: result.output };
  return { settings: defaults, problem: `stored settings rejected: ${v.summarize(result.issues)}` };
}

/** Whether an action on a site should be captured under these settings. */
export function isCaptureAllowed(settings: Settings, site: SiteId, action: string): boolean {
  if (settings.paused) return false;
  const s = settings.sites[site];
  return s.enabled && (s.actions as string[]).includes(action);
}

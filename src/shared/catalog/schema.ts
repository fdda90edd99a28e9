import * as v from 'valibot';
import { genreOf } from './genres.ts';
import {
  EXTERNAL_ID_KINDS,
  TITLE_LANGS,
  type Catalog,
  type CatalogTitle,
  type ExternalIdKind,
  type TitleLang,
  type WatchLink,
} from './types.ts';

/**
 * The catalog file format this code writes; docs/catalog-format.md describes it. Format 2 added
 * `directors`, `synopsis` and the `wikipedia-en` id kind: a format-1 reader refuses those
 * fields, hence the new number. Format 3 added `itemItem` (issue 16) for the same reason.
 * Older files are still read (`READABLE_FORMATS`): each is the next format without its fields.
 */
export const CATALOG_FORMAT = 3;
/** Formats `parseCatalog` accepts: format 1 is format 2 without the new fields, format 2 is 3 without `itemItem`. */
export const READABLE_FORMATS: readonly number[] = [1, 2, 3];

const MAX_TITLES = 200_000;
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(512));
const names = v.pipe(v.array(name), v.maxLength(64));
const regions = v.pipe(v.array(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'a region is an ISO 3166 two-letter code'))), v.maxLength(64));
const params = v.record(
  v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'a parameter name is letters, digits, _ . -')),
  v.pipe(v.string(), v.maxLength(256)),
);

/** A URL template: https, at most one `{id}`, and a valid URL once filled in. */
const urlTemplate = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((s) => /^https:\/\//.test(s), 'a watch URL must start with https://'),
  v.check((s) => URL.canParse(s.replaceAll('{id}', 'x')), 'not a valid URL template'),
);

const platformSchema = v.strictObject({
  name: name,
  url: urlTemplate,
  regions: v.optional(regions, []),
  /** Parameters the publisher wants on every click of this platform's links. */
  campaign: v.optional(params),
});

const watchSchema = v.strictObject({
  platform: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/, 'a platform key is letters, digits, _ and -')),
  id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
  /** Overrides the platform's template. */
  url: v.optional(urlTemplate),
  regions: v.optional(regions),
});

const optionalNames = v.optional(names);
const titleNamesSchema = v.pipe(
  v.strictObject(Object.fromEntries(TITLE_LANGS.map((lang) => [lang, optionalNames])) as Record<TitleLang, typeof optionalNames>),
  v.check((t) => Object.values(t).some((list) => list !== undefined && list.length > 0), 'a title needs at least one name'),
);

const idList = v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))), v.maxLength(64)));
const externalIdsSchema = v.strictObject(
  Object.fromEntries(EXTERNAL_ID_KINDS.map((kind) => [kind, idList])) as Record<ExternalIdKind, typeof idList>,
);

const sentence = v.pipe(v.string(), v.minLength(1), v.maxLength(1000));
const synopsisSchema = v.strictObject({ en: v.optional(sentence), 'zh-Hans': v.optional(sentence), 'zh-Hant': v.optional(sentence) });

/** One title as written in a catalog file; empty lists may be left out. */
export const CatalogFileTitleSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[^\s]{1,128}$/, 'a title id is 1 to 128 characters without spaces')),
  kind: v.picklist(['film', 'series', 'anime-series', 'anime-film', 'variety', 'documentary', 'special', 'other']),
  titles: titleNamesSchema,
  aliases: v.optional(names, []),
  hashtags: v.optional(names, []),
  year: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1870), v.maxValue(2100))),
  genres: v.optional(names, []),
  people: v.optional(names, []),
  directors: v.optional(names),
  synopsis: v.optional(synopsisSchema),
  externalIds: v.optional(externalIdsSchema, {}),
  watch: v.optional(v.pipe(v.array(watchSchema), v.maxLength(64)), []),
  popularity: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0),
  vector: v.optional(v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1), v.maxLength(1024))),
  /** Format 3: the title's row of a low-rank item-item model (docs/catalog-format.md), learned offline from audience data. */
  itemItem: v.optional(
    v.strictObject({
      scale: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e6)),
      /** Decoded row = vector × step: with a step, the vector holds int8 codes (−127..127), a quarter of the bytes. */
      step: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e6))),
      vector: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1), v.maxLength(1024)),
    }),
  ),
  accounts: v.optional(names),
  /** Names that are also ordinary words, people or companies: linked only with support. */
  commonNames: v.optional(names),
  /** Names that are phrases of everyday words: linked from running text only with support. */
  phraseNames: v.optional(names),
});

/** A whole catalog file (format 3, or an older format without the fields later ones added). */
export const CatalogFileSchema = v.strictObject({
  format: v.picklist([1, 2, CATALOG_FORMAT]),
  version: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  name: v.optional(v.pipe(v.string(), v.maxLength(256))),
  generatedAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  attributions: v.pipe(
    v.array(
      v.strictObject({ text: name, licence: v.pipe(v.string(), v.minLength(1), v.maxLength(128)), url: v.pipe(v.string(), v.url()) }),
    ),
    v.maxLength(32),
  ),
  /** Parameters added to every watch link of every platform (a platform's own win). */
  campaign: v.optional(params),
  platforms: v.optional(v.record(v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)), platformSchema), {}),
  titles: v.pipe(v.array(CatalogFileTitleSchema), v.maxLength(MAX_TITLES)),
});

export type CatalogFile = v.InferInput<typeof CatalogFileSchema>;
type ParsedFile = v.InferOutput<typeof CatalogFileSchema>;

export type CatalogParseResult = { ok: true; catalog: Catalog } | { ok: false; error: string };

/** `titles[12].watch[0].url` from a valibot issue path. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(root)';
}

/** Adds campaign parameters to a URL template, leaving `{id}` in place. */
function withCampaign(template: string, campaign: Record<string, string> | undefined): string {
  if (!campaign || Object.keys(campaign).length === 0) return template;
  const query = Object.entries(campaign)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const hash = template.indexOf('#');
  const [base, fragment] = hash < 0 ? [template, ''] : [template.slice(0, hash), template.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

/** Checks what a schema cannot: unique ids, known platforms, vectors of one length, fields of the file's format. */
function crossCheck(file: ParsedFile): string | undefined {
  const seen = new Set<string>();
  let width: number | undefined;
  let itemWidth: number | undefined;
  for (const [i, title] of file.titles.entries()) {
    if (seen.has(title.id)) return `titles[${i}].id: duplicate title id "${title.id}"`;
    seen.add(title.id);
    for (const [j, link] of title.watch.entries()) {
      if (!link.url && !file.platforms[link.platform])
        return `titles[${i}].watch[${j}].platform: unknown platform "${link.platform}" and no url`;
      const template = link.url ?? file.platforms[link.platform]?.url ?? '';
      if (template.includes('{id}') && link.id === undefined) return `titles[${i}].watch[${j}].id: the URL template needs an id`;
    }
    if (title.vector) {
      width ??= title.vector.length;
      if (title.vector.length !== width) return `titles[${i}].vector: length ${title.vector.length}, but other vectors have ${width}`;
    }
    if (title.itemItem) {
      if (file.format < 3) return `titles[${i}].itemItem: a format-${file.format} catalog has no itemItem (format 3 added it)`;
      if (title.itemItem.step !== undefined && !title.itemItem.vector.every((c) => Number.isInteger(c) && Math.abs(c) <= 127))
        return `titles[${i}].itemItem.vector: with a step, every entry is an integer code from -127 to 127`;
      itemWidth ??= title.itemItem.vector.length;
      if (title.itemItem.vector.length !== itemWidth)
        return `titles[${i}].itemItem.vector: length ${title.itemItem.vector.length}, but other itemItem vectors have ${itemWidth}`;
    }
  }
  return undefined;
}

/**
 * Genre words as vocabulary ids ("Science Fiction", "科幻" → "sci-fi"), so an imported catalog's
 * genres meet the default catalog's; words the vocabulary does not know are kept as written.
 */
function normalizeGenres(words: readonly string[]): string[] {
  return [...new Set(words.map((w) => genreOf(w) ?? w))];
}

/** Expands a validated file into stored records: platform templates and campaign parameters filled in. */
function expand(file: ParsedFile): Catalog {
  const titles = file.titles.map((t): CatalogTitle => {
    const watch = t.watch.map((link): WatchLink => {
      const platform = file.platforms[link.platform];
      const campaign = { ...file.campaign, ...platform?.campaign };
      const out: WatchLink = {
        platform: link.platform,
        regions: link.regions ?? platform?.regions ?? [],
        url: withCampaign(link.url ?? platform?.url ?? '', campaign),
      };
      if (link.id !== undefined) out.id = link.id;
      return out;
    });
    const title: CatalogTitle = {
      id: t.id,
      kind: t.kind,
      titles: Object.fromEntries(Object.entries(t.titles).filter(([, list]) => list !== undefined && list.length > 0)),
      aliases: t.aliases,
      hashtags: t.hashtags,
      genres: normalizeGenres(t.genres),
      people: t.people,
      externalIds: Object.fromEntries(Object.entries(t.externalIds).filter(([, list]) => list !== undefined)),
      watch,
      popularity: t.popularity,
    };
    if (t.year !== undefined) title.year = t.year;
    if (t.directors !== undefined) title.directors = t.directors;
    if (t.synopsis !== undefined) title.synopsis = Object.fromEntries(Object.entries(t.synopsis).filter(([, s]) => s !== undefined));
    if (t.vector !== undefined) title.vector = t.vector;
    if (t.itemItem !== undefined) {
      const step = t.itemItem.step ?? 1;
      title.itemItem = { scale: t.itemItem.scale, vector: step === 1 ? t.itemItem.vector : t.itemItem.vector.map((c) => c * step) };
    }
    if (t.accounts !== undefined) title.accounts = t.accounts;
    if (t.commonNames !== undefined) title.commonNames = t.commonNames;
    if (t.phraseNames !== undefined) title.phraseNames = t.phraseNames;
    return title;
  });
  const catalog: Catalog = { format: file.format, version: file.version, attributions: file.attributions, titles };
  if (file.name !== undefined) catalog.name = file.name;
  if (file.generatedAt !== undefined) catalog.generatedAt = file.generatedAt;
  return catalog;
}

/** The file's JSON and its format, or why not: the part of validation both forms share. */
function readFile(input: string | unknown): { ok: true; data: object } | { ok: false; error: string } {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      return { ok: false, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const format = (data as { format?: unknown } | null)?.format;
  if (typeof data === 'object' && data !== null && !READABLE_FORMATS.includes(format as number)) {
    return {
      ok: false,
      error:
        `format: this version of Reelflow reads catalog formats ${READABLE_FORMATS.join(' and ')}, ` +
        `not ${JSON.stringify(format) ?? 'undefined'}`,
    };
  }
  return typeof data === 'object' && data !== null ? { ok: true, data } : { ok: false, error: '(root): not a catalog object' };
}

function issueText(issues: readonly v.BaseIssue<unknown>[], offset = 0): string {
  const first = issues[0] as v.BaseIssue<unknown>;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const path = pathOf(first).replace(/^\[(\d+)\]/, (_, i: string) => `titles[${Number(i) + offset}]`);
  return `${path}: ${first.message}${more}`;
}

function finish(output: ParsedFile): CatalogParseResult {
  const problem = crossCheck(output);
  if (problem) return { ok: false, error: problem };
  return { ok: true, catalog: expand(output) };
}

/** Validates a catalog file (JSON text or parsed value); on failure the error names the field. */
export function parseCatalog(input: string | unknown): CatalogParseResult {
  const file = readFile(input);
  if (!file.ok) return file;
  const result = v.safeParse(CatalogFileSchema, file.data, { abortPipeEarly: true });
  if (!result.success) return { ok: false, error: issueText(result.issues) };
  return finish(result.output);
}

const TITLE_CHUNK = 2000;
const TitlesSchema = v.array(CatalogFileTitleSchema);

/**
 * parseCatalog in steps: the titles are validated 2,000 at a time with `pause()` between, so a
 * background that installs 50,000 titles keeps answering messages meanwhile. Same result and errors.
 */
export async function parseCatalogInSteps(input: string | unknown, pause: () => Promise<void>): Promise<CatalogParseResult> {
  const file = readFile(input);
  if (!file.ok) return file;
  const titles = (file.data as { titles?: unknown }).titles;
  if (!Array.isArray(titles)) return parseCatalog(file.data);
  await pause();
  const head = v.safeParse(CatalogFileSchema, { ...file.data, titles: [] }, { abortPipeEarly: true });
  if (!head.success) return { ok: false, error: issueText(head.issues) };
  if (titles.length > MAX_TITLES) return parseCatalog(file.data);
  const parsed: ParsedFile['titles'] = [];
  for (let i = 0; i < titles.length; i += TITLE_CHUNK) {
    const chunk = v.safeParse(TitlesSchema, titles.slice(i, i + TITLE_CHUNK), { abortPipeEarly: true });
    if (!chunk.success) return { ok: false, error: issueText(chunk.issues, i) };
    for (const t of chunk.output) parsed.push(t);
    await pause();
  }
  return finish({ ...head.output, titles: parsed });
}

/** The URL a user opens for a watch link: the template with its id filled in. */
export function watchUrl(link: WatchLink): string {
  return link.url.replaceAll('{id}', encodeURIComponent(link.id ?? ''));
}

/** The name to show for a title: the first of the preferred languages that it has. */
export function displayName(
  title: CatalogTitle,
  langs: readonly (keyof CatalogTitle['titles'])[] = ['zh-Hans', 'en', 'zh-Hant', 'ja', 'original'],
): string {
  for (const lang of langs) {
    const first = title.titles[lang]?.[0];
    if (first) return first;
  }
  return title.aliases[0] ?? title.id;
}

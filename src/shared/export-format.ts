import * as v from 'valibot';
import { CapturedEventSchema, LINK_VIAS } from './events.ts';
import { SettingsSchema } from './settings.ts';
import { SITE_IDS } from './sites.ts';

/**
 * The export file (docs/export-format.md): everything of the user's, as plain JSON, so it can be
 * read by people and imported back exactly. Bump EXPORT_VERSION and document the change when
 * the shape changes; import accepts only versions it knows.
 */
export const EXPORT_FORMAT = 'reelflow-export';
export const EXPORT_VERSION = 1;

/**
 * Largest file import reads, in bytes; checked before a byte of it is read. An export of a year of
 * heavy use (about 15,000 actions) is well under it; docs/export-format.md says what to do above it.
 */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** Deepest nesting import reads: an export nests 7 levels (events → target → facts → aliases → alias); the rest is margin. */
export const MAX_IMPORT_DEPTH = 16;
/** Keys no export has, which change how objects behave if code ever copies them onto one. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** A file's times may run this far past the moment it was exported, or it was imported (clocks differ). */
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

const idString = v.pipe(v.string(), v.minLength(1), v.maxLength(600));
const titleId = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
// Any whole number here: checkExport names a time before 1970 or in the future, with its path.
const time = v.pipe(v.number(), v.integer());

const TitleLinkSchema = v.strictObject({
  titleId,
  confidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  reason: v.pipe(v.string(), v.maxLength(1024)),
  source: v.picklist(['linker', 'user']),
  via: v.optional(v.picklist(LINK_VIAS)),
});

/** A stored event: the captured event plus its key, arrival time, title links and the user's corrections. */
const StoredEventSchema = v.strictObject({
  ...CapturedEventSchema.entries,
  at: time,
  id: idString,
  receivedAt: time,
  links: v.pipe(v.array(TitleLinkSchema), v.maxLength(64)),
  removedTitleIds: v.pipe(v.array(titleId), v.maxLength(64)),
});

const FeedbackSchema = v.strictObject({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  titleId,
  kind: v.picklist(['interested', 'not-interested', 'seen', 'click']),
  at: time,
  platform: v.optional(v.pipe(v.string(), v.maxLength(64))),
  via: v.optional(v.literal('onboarding')),
  undone: v.optional(v.boolean()),
});

const ImpressionSchema = v.strictObject({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  titleId,
  at: time,
  rank: v.pipe(v.number(), v.integer(), v.minValue(0)),
  strategy: v.pipe(v.string(), v.maxLength(64)),
  /** The site of the post its reason stood on when shown (absent in older exports). */
  site: v.optional(v.picklist(SITE_IDS)),
});

export const ExportSchema = v.strictObject({
  format: v.literal(EXPORT_FORMAT),
  version: v.literal(EXPORT_VERSION),
  exportedAt: time,
  settings: SettingsSchema,
  /** Corrections travel inside the events: links with source 'user' and removedTitleIds. */
  events: v.array(StoredEventSchema),
  feedback: v.array(FeedbackSchema),
  impressions: v.array(ImpressionSchema),
});

export type ExportFile = v.InferOutput<typeof ExportSchema>;

/**
 * Why a file cannot be imported, as the options page says it (_locales: optionsImport_<code>,
 * with `args` as its substitutions). Every one names the problem; nothing of the file is stored.
 */
export type ImportProblem =
  | { code: 'tooLarge'; args: [size: string, limit: string] }
  | { code: 'notJson'; args: [detail: string] }
  | { code: 'tooDeep'; args: [depth: string, limit: string] }
  | { code: 'forbiddenKey'; args: [key: string, path: string] }
  | { code: 'invalid'; args: [detail: string] }
  | { code: 'duplicateId'; args: [list: string, id: string] }
  | { code: 'tooEarly'; args: [path: string, date: string] }
  | { code: 'tooLate'; args: [path: string, date: string, limit: string] };

export type ImportResult = { ok: true; file: ExportFile } | { ok: false; problem: ImportProblem };

/** The problem in plain English, for the background's error replies (the options page words it from _locales). */
export function describeImportProblem({ code, args }: ImportProblem): string {
  const [a, b, c] = args;
  switch (code) {
    case 'tooLarge':
      return `the file is ${a}; import reads files of up to ${b}`;
    case 'notJson':
      return `the file is not JSON (${a})`;
    case 'tooDeep':
      return `the file nests its data at least ${a} levels deep; an export goes no deeper than ${b}`;
    case 'forbiddenKey':
      return `the file has a key named "${a}" (in ${b}), which no export has`;
    case 'invalid':
      return `the file is not a Reelflow export: ${a}`;
    case 'duplicateId':
      return `the file has two ${a} records with the id ${b}`;
    case 'tooEarly':
      return `the file has a time before 1970: ${b} (${a})`;
    case 'tooLate':
      return `the file has a time later than it can be: ${b} (${a}), after ${c}`;
  }
}

/** Megabytes, one decimal: how the size problem states a file's size. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The size check, made on the file's size before it is read. */
export function checkImportSize(bytes: number): ImportProblem | undefined {
  return bytes > MAX_IMPORT_BYTES ? { code: 'tooLarge', args: [megabytes(bytes), megabytes(MAX_IMPORT_BYTES)] } : undefined;
}

/**
 * How deep the text's arrays and objects nest, up to the first point past MAX_IMPORT_DEPTH: one pass
 * over the characters, before JSON.parse builds anything (or code that walks the result recurses that deep).
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_IMPORT_DEPTH) return deepest + countOpenings(text, i + 1);
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/** The brackets that open in a row from `from`: how much deeper an over-deep file goes (its first run). */
function countOpenings(text: string, from: number): number {
  let n = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) n += 1;
    else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return n;
}

/** A path as people read it: events[3].target.text. */
function pathText(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('') || '(the top)';
}

/** The first key named like a prototype hook, and where (the parse made it an own key, harmless until copied). */
function forbiddenKey(data: unknown): { key: string; path: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i] as unknown, path: [...path, i] });
      continue;
    }
    const keys = Object.keys(value);
    const found = keys.find((key) => FORBIDDEN_KEYS.has(key));
    if (found !== undefined) return { key: found, path: pathText(path) };
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i] as string;
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

/** A time as the problem states it: ISO 8601 in UTC, or the number when it is not a date at all. */
function dateText(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}

/**
 * What a schema cannot check: ids unique within each list, and times between 1970 and the moment
 * the file says it was exported (which is no later than now), a day's clock difference allowed.
 */
export function checkExport(file: ExportFile, now: number): ImportProblem | undefined {
  for (const list of ['events', 'feedback', 'impressions'] as const) {
    const seen = new Set<string | number>();
    for (const record of file[list]) {
      if (seen.has(record.id)) return { code: 'duplicateId', args: [list, String(record.id)] };
      seen.add(record.id);
    }
  }
  const times: [string, number][] = [['exportedAt', file.exportedAt]];
  file.events.forEach((e, i) => times.push([`events[${i}].at`, e.at], [`events[${i}].receivedAt`, e.receivedAt]));
  file.feedback.forEach((f, i) => times.push([`feedback[${i}].at`, f.at]));
  file.impressions.forEach((m, i) => times.push([`impressions[${i}].at`, m.at]));
  const latest = Math.min(file.exportedAt, now) + CLOCK_SKEW_MS;
  for (const [path, at] of times) {
    if (at < 0) return { code: 'tooEarly', args: [path, dateText(at)] };
    if (at > (path === 'exportedAt' ? now + CLOCK_SKEW_MS : latest)) {
      return { code: 'tooLate', args: [path, dateText(at), dateText(path === 'exportedAt' ? now : Math.min(file.exportedAt, now))] };
    }
  }
  return undefined;
}

/** Validates a parsed export file: the schema, then checkExport; returns it or the first problem, with its path. */
export function parseExport(data: unknown, now: number = Date.now()): ImportResult {
  const key = forbiddenKey(data);
  if (key) return { ok: false, problem: { code: 'forbiddenKey', args: [key.key, key.path] } };
  const result = v.safeParse(ExportSchema, data);
  if (!result.success) {
    const [issue] = result.issues;
    const path = pathText((issue.path ?? []).map((item) => item.key as string | number));
    return { ok: false, problem: { code: 'invalid', args: [`${path}: ${issue.message}`] } };
  }
  const problem = checkExport(result.output, now);
  return problem ? { ok: false, problem } : { ok: true, file: result.output };
}

/**
 * Reads an export file's text, checking in this order: nesting depth (before JSON.parse), JSON,
 * prototype-hook keys, the schema, then unique ids and times. Runs in a worker (src/options/import-worker.ts),
 * so the page stays responsive whatever the file holds; the worker checked the size before reading the text.
 */
export function readExport(text: string, now: number = Date.now()): ImportResult {
  const depth = nestingDepth(text);
  if (depth > MAX_IMPORT_DEPTH)
    return { ok: false, problem: { code: 'tooDeep', args: [depth.toLocaleString('en'), String(MAX_IMPORT_DEPTH)] } };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { code: 'notJson', args: [error instanceof Error ? error.message : String(error)] } };
  }
  return parseExport(data, now);
}

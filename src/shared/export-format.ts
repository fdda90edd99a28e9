import * as v from 'valibot';
import { CapturedEventSchema, LINK_VIAS } from './events.ts';
import { SettingsSchema } from './settings.ts';

/**
 * The export file (docs/export-format.md): everything of the user's, as plain JSON, so it can be
 * read by people and imported back exactly. Bump EXPORT_VERSION and document the change when
 * the shape changes; import accepts only versions it knows.
 */
export const EXPORT_FORMAT = 'reelflow-export';
export const EXPORT_VERSION = 1;

const idString = v.pipe(v.string(), v.minLength(1), v.maxLength(600));
const titleId = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const time = v.pipe(v.number(), v.integer(), v.minValue(0));

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
  undone: v.optional(v.boolean()),
});

const ImpressionSchema = v.strictObject({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  titleId,
  at: time,
  rank: v.pipe(v.number(), v.integer(), v.minValue(0)),
  strategy: v.pipe(v.string(), v.maxLength(64)),
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

/** Validates a parsed export file; returns it or a readable list of what is wrong. */
export function parseExport(data: unknown): { ok: true; file: ExportFile } | { ok: false; problem: string } {
  const result = v.safeParse(ExportSchema, data);
  if (result.success) return { ok: true, file: result.output };
  return { ok: false, problem: v.summarize(result.issues) };
}

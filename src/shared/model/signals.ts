/**
 * The shapes of popup feedback and impressions the model reads. Declared here, structurally
 * matching db/schema.ts's records, because shared/model stays apart from storage code.
 */
export type FeedbackKind = 'interested' | 'not-interested' | 'seen' | 'click';

export interface FeedbackSignal {
  id?: number;
  titleId: string;
  kind: FeedbackKind;
  at: number;
  /** 'onboarding' for the first run's picks (not suggested back). */
  via?: 'onboarding';
  undone?: boolean;
}

export interface ImpressionSignal {
  titleId: string;
  at: number;
}

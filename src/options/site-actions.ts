import type { ActionKind } from '../shared/events.ts';
import type { SiteId } from '../shared/sites.ts';

/** The actions each site has, in the order its own interface shows them (see ACTION_KINDS comments). */
export const SITE_ACTIONS: Readonly<Record<SiteId, readonly ActionKind[]>> = {
  x: ['like', 'comment', 'repost', 'quote', 'share', 'bookmark'],
  youtube: ['like', 'comment', 'share'],
  reddit: ['upvote', 'comment', 'share', 'crosspost'],
  weibo: ['like', 'comment', 'repost'],
  bilibili: ['like', 'coin', 'bookmark', 'comment', 'share'],
  douban: ['wish', 'watching', 'watched', 'rating', 'review', 'recommend', 'helpful'],
};

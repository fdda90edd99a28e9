/**
 * What a user did on a social site. Undo actions are not kinds of their own: an undo
 * (unlike, remove vote, cancel repost) is sent as a retraction of the earlier event.
 */
export const ACTION_KINDS = [
  'like', // X like, YouTube like, Weibo 赞, Bilibili 点赞
  'upvote', // Reddit
  'comment', // a reply or comment the user posted
  'repost', // X repost, Weibo 转发
  'quote', // X quote post
  'share', // a share menu or copy-link action
  'bookmark', // X bookmark, Bilibili 收藏
  'coin', // Bilibili 投币
  'crosspost', // Reddit
  'wish', // Douban 想看
  'watching', // Douban 在看
  'watched', // Douban 看过
  'rating', // Douban stars
  'review', // Douban 短评 / 影评
  'recommend', // Douban 推荐
  'helpful', // Douban 有用 on a comment
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

import type { SiteId } from '../../shared/sites.ts';
import type { SiteAdapter } from '../adapter.ts';
import bilibili from './bilibili.ts';
import douban from './douban.ts';
import reddit from './reddit.ts';
import weibo from './weibo.ts';
import x from './x.ts';
import youtube from './youtube.ts';

/** Every site adapter, by site id. A new site is a new file in this folder plus one line here. */
export const ADAPTERS: Partial<Record<SiteId, SiteAdapter>> = { x, youtube, reddit, weibo, bilibili, douban };

import { type HandlerMap, type Pool, withTransaction } from '@gcal-sync/shared';
import type { ChannelCache } from '../channels/channel-cache';
import { viewsFromLifecycle } from '../channels/channel-event';
import { saveChannel } from '../channels/channel-store';

/**
 * Shared group `webhook-ingest.channels` (one replica handles each event): keeps the
 * `webhook_channels` table, the fallback behind every replica's cache.
 */
export function buildStoreHandlers(pool: Pool): HandlerMap {
  return {
    channelLifecycle: async (message) => {
      const views = viewsFromLifecycle(message);
      if (views.length === 0) return;
      await withTransaction(pool, async (client) => {
        for (const view of views) await saveChannel(client, view);
      });
    },
  };
}

/** Group `webhook-ingest.cache.<instance>` (one per replica, so each sees every event): its in-memory cache. */
export function buildCacheHandlers(cache: ChannelCache): HandlerMap {
  return {
    channelLifecycle: async (message) => {
      for (const view of viewsFromLifecycle(message)) cache.put(view);
    },
  };
}

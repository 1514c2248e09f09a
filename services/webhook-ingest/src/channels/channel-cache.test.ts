import { describe, expect, it } from 'vitest';
import { ChannelCache } from './channel-cache';
import { liveChannel } from './channel-view.fixture';

const view = liveChannel;

describe('ChannelCache', () => {
  it('remembers a miss for its TTL, and forgets it when the channel arrives', () => {
    let now = 0;
    const cache = new ChannelCache(1000, () => now);
    cache.rememberMiss('ch');
    expect(cache.recentlyMissed('ch')).toBe(true);
    now = 1000;
    expect(cache.recentlyMissed('ch')).toBe(false);
    cache.rememberMiss('ch');
    cache.put(view);
    expect(cache.recentlyMissed('ch')).toBe(false);
    expect(cache.get('ch')).toEqual(view);
  });

  it('keeps retirement final and prunes retired channels', () => {
    const cache = new ChannelCache(1000);
    cache.put({ ...view, status: 'retired' });
    cache.put(view);
    expect(cache.get('ch')?.status).toBe('retired');
    expect(cache.pruneRetired()).toBe(1);
    expect(cache.get('ch')).toBeUndefined();
  });

  it('waitFor answers at once for a known channel, and when the channel is put', async () => {
    const cache = new ChannelCache(1000);
    const later = cache.waitFor('ch', 5_000);
    cache.put(view);
    expect(await later).toEqual(view);
    expect(await cache.waitFor('ch', 0)).toEqual(view);
  });
});

import { describe, expect, it } from 'vitest';
import { liveChannel } from './channel-view.fixture';
import { ChannelWaiters } from './channel-waiters';

describe('ChannelWaiters', () => {
  it('resolves every waiter of a channel when it arrives, and only those', async () => {
    const waiters = new ChannelWaiters(10);
    const a = waiters.wait('ch', 5_000);
    const b = waiters.wait('ch', 5_000);
    const other = waiters.wait('other', 30);
    waiters.arrived(liveChannel);
    expect(await a).toEqual(liveChannel);
    expect(await b).toEqual(liveChannel);
    expect(await other).toBeUndefined();
    expect(waiters.pending).toBe(0);
  });

  it('gives up after the timeout', async () => {
    const waiters = new ChannelWaiters(10);
    expect(await waiters.wait('ch', 20)).toBeUndefined();
    expect(waiters.pending).toBe(0);
    waiters.arrived(liveChannel);
  });

  it('answers at once when full or when waiting is off', async () => {
    const waiters = new ChannelWaiters(1);
    const held = waiters.wait('a', 5_000);
    expect(await waiters.wait('b', 5_000)).toBeUndefined();
    expect(await waiters.wait('a', 0)).toBeUndefined();
    waiters.arrived({ ...liveChannel, channelId: 'a' });
    expect((await held)?.channelId).toBe('a');
  });
});

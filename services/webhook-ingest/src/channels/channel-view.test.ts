import { describe, expect, it } from 'vitest';
import { mergeChannelViews } from './channel-view';
import { liveChannel } from './channel-view.fixture';

const live = liveChannel;

describe('mergeChannelViews', () => {
  it('takes the first view as is', () => {
    expect(mergeChannelViews(undefined, live)).toBe(live);
  });

  it('never revives a retired channel', () => {
    const retired = mergeChannelViews(live, { ...live, status: 'retired', tokenHash: null });
    expect(retired).toMatchObject({ status: 'retired', tokenHash: live.tokenHash });
    expect(mergeChannelViews(retired, live).status).toBe('retired');
  });
});

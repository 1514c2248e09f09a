import { channelLifecyclePayload } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { calendarOrNull, channelDescription, stoppedEvent } from './channel-events';
import type { Channel } from './channel-repo';

const channel = {
  channelId: 'ch',
  targetId: '1',
  orgId: 'o',
  connectionId: 'k',
  resource: 'calendarList',
  calendarId: '',
  tokenHash: 'c'.repeat(64),
  resourceId: 'r',
  status: 'retiring',
  stopReason: 'replaced',
  stopAttempts: 0,
  createdAt: new Date(0),
  expiration: null,
  renewAt: null,
} satisfies Channel;

describe('channel events', () => {
  it('say null, not "", for a calendar-list channel, and validate against the contract', () => {
    expect(calendarOrNull('')).toBeNull();
    expect(calendarOrNull('c@x')).toBe('c@x');
    const created = { type: 'created', channel: channelDescription(channel, { resourceId: 'r', expirationMs: 1_000 }) };
    expect(created.channel).toMatchObject({
      calendarId: null,
      expiration: '1970-01-01T00:00:01.000Z',
      tokenHash: 'c'.repeat(64),
    });
    expect(channelLifecyclePayload.safeParse(created).success).toBe(true);
    const stopped = stoppedEvent(channel, 'r', 'replaced');
    expect(stopped).toEqual({
      type: 'stopped',
      channelId: 'ch',
      resourceId: 'r',
      calendarId: null,
      reason: 'replaced',
    });
    expect(channelLifecyclePayload.safeParse(stopped).success).toBe(true);
  });
});

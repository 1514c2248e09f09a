import type { MessageOf } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { viewsFromLifecycle } from './channel-event';

const base = { messageId: 'm', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', orgId: 'o', connectionId: 'k' };
const channel = {
  channelId: 'new',
  resourceId: 'r',
  resource: 'events' as const,
  calendarId: 'c',
  expiration: '2026-01-08T00:00:00Z',
  tokenHash: 'b'.repeat(64),
};
const msg = (payload: MessageOf<'channelLifecycle'>['payload']) => ({ ...base, payload });

describe('viewsFromLifecycle', () => {
  it('a renewal adds the new channel and leaves the old one live until it is stopped', () => {
    expect(viewsFromLifecycle(msg({ type: 'renewed', channel, replacedChannelId: 'old' }))).toEqual([
      expect.objectContaining({
        channelId: 'new',
        status: 'live',
        orgId: 'o',
        connectionId: 'k',
        tokenHash: 'b'.repeat(64),
      }),
    ]);
  });

  it('a stop retires the channel', () => {
    const views = viewsFromLifecycle(
      msg({ type: 'stopped', channelId: 'old', resourceId: 'r', calendarId: null, reason: 'replaced' }),
    );
    expect(views).toEqual([expect.objectContaining({ channelId: 'old', status: 'retired', resource: 'calendarList' })]);
  });

  it('failures and ping reports change nothing', () => {
    expect(
      viewsFromLifecycle(msg({ type: 'renewal-failed', calendarId: 'c', channelId: null, attempt: 1, reason: 'x' })),
    ).toEqual([]);
  });
});

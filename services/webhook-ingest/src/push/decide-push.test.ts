import { sha256Hex } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import type { ChannelView } from '../channels/channel-view';
import { decidePush } from './decide-push';
import type { PushHeaders } from './push-headers';

const channel: ChannelView = {
  channelId: 'ch-1',
  resourceId: 'res-1',
  resource: 'events',
  calendarId: 'c1',
  tokenHash: sha256Hex('tok'),
  orgId: 'org',
  connectionId: 'conn',
  status: 'live',
  expiration: null,
};
const push: PushHeaders = {
  channelId: 'ch-1',
  resourceId: 'res-1',
  resourceState: 'exists',
  messageNumber: 3,
  token: 'tok',
};

describe('decidePush', () => {
  it('publishes a change on a live channel with the right token', () => {
    expect(decidePush(push, channel)).toEqual({ kind: 'publish', channel });
    expect(decidePush({ ...push, resourceState: 'not_exists' }, channel).kind).toBe('publish');
  });

  it('acknowledges the sync handshake', () => {
    expect(decidePush({ ...push, resourceState: 'sync' }, channel).kind).toBe('sync');
  });

  it('rejects a wrong or missing token, or a foreign resource id, on a live channel', () => {
    expect(decidePush({ ...push, token: 'nope' }, channel).kind).toBe('forged');
    expect(decidePush({ ...push, token: undefined }, channel).kind).toBe('forged');
    expect(decidePush({ ...push, resourceId: 'other' }, channel).kind).toBe('forged');
    expect(decidePush({ ...push, resourceState: 'sync', token: 'nope' }, channel).kind).toBe('forged');
    expect(decidePush(push, { ...channel, tokenHash: null }).kind).toBe('forged');
  });

  it('drops pings of unknown and retired channels', () => {
    expect(decidePush(push, undefined).kind).toBe('unknown');
    expect(decidePush({ ...push, token: 'whatever' }, { ...channel, status: 'retired' }).kind).toBe('retired');
  });
});

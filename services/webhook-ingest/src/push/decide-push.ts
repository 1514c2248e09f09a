import { matchesSha256 } from '@gcal-sync/shared';
import type { ChannelView } from '../channels/channel-view';
import type { PushHeaders } from './push-headers';

/**
 * What to do with one verified-shape push:
 * - `forged`: the channel is live but token or resource id do not match → 401, never published;
 * - `unknown` / `retired`: 200 and dropped (Google only retries 5xx; a retired channel's late ping is
 *   normal while a replacement overlaps it);
 * - `sync`: the channel-creation handshake, acknowledged with 200;
 * - `publish`: a change to sync, published before answering 200.
 */
export type PushDecision =
  | { kind: 'forged' }
  | { kind: 'unknown' }
  | { kind: 'retired'; channel: ChannelView }
  | { kind: 'sync'; channel: ChannelView }
  | { kind: 'publish'; channel: ChannelView };

export function decidePush(push: PushHeaders, channel: ChannelView | undefined): PushDecision {
  if (!channel) return { kind: 'unknown' };
  if (channel.status === 'retired') return { kind: 'retired', channel };
  // Both checks always run, so the answer's timing does not tell which part was wrong.
  const tokenOk = channel.tokenHash !== null && matchesSha256(push.token ?? '', channel.tokenHash);
  const resourceOk = push.resourceId === channel.resourceId;
  if (!tokenOk || !resourceOk) return { kind: 'forged' };
  return push.resourceState === 'sync' ? { kind: 'sync', channel } : { kind: 'publish', channel };
}

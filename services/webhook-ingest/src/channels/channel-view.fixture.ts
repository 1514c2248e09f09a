import type { ChannelView } from './channel-view';

/** A live events channel for unit tests. */
export const liveChannel: ChannelView = {
  channelId: 'ch',
  resourceId: 'r',
  resource: 'events',
  calendarId: 'c',
  tokenHash: 'a'.repeat(64),
  orgId: 'o',
  connectionId: 'k',
  status: 'live',
  expiration: null,
};

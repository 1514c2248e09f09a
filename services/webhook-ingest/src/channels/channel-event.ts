import type { MessageOf } from '@gcal-sync/shared';
import type { ChannelView } from './channel-view';

/** The channel views a channel-lifecycle event implies (none for failures and for our own ping reports). */
export function viewsFromLifecycle(message: MessageOf<'channelLifecycle'>): ChannelView[] {
  const { payload, orgId, connectionId } = message;
  switch (payload.type) {
    case 'created':
    case 'renewed': {
      const c = payload.channel;
      // A renewal does not retire the old channel: it stays live until its own `stopped`, so no
      // change falls between the two.
      return [
        {
          channelId: c.channelId,
          resourceId: c.resourceId,
          resource: c.resource,
          calendarId: c.calendarId,
          tokenHash: c.tokenHash,
          orgId,
          connectionId,
          status: 'live',
          expiration: c.expiration,
        },
      ];
    }
    case 'stopped':
      return [
        {
          channelId: payload.channelId,
          resourceId: payload.resourceId,
          resource: payload.calendarId === null ? 'calendarList' : 'events',
          calendarId: payload.calendarId,
          tokenHash: null,
          orgId,
          connectionId,
          status: 'retired',
          expiration: null,
        },
      ];
    default:
      return [];
  }
}

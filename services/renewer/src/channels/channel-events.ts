import type { PayloadOf } from '@gcal-sync/shared';
import type { Channel, StopReason } from './channel-repo';

type Lifecycle = PayloadOf<'channelLifecycle'>;

/** '' is how a calendar-list target stores "no calendar"; the topic says null. */
export const calendarOrNull = (calendarId: string): string | null => (calendarId === '' ? null : calendarId);

export function channelDescription(
  channel: Pick<Channel, 'channelId' | 'resource' | 'calendarId' | 'tokenHash'>,
  live: { resourceId: string; expirationMs: number },
): Extract<Lifecycle, { type: 'created' }>['channel'] {
  return {
    channelId: channel.channelId,
    resourceId: live.resourceId,
    resource: channel.resource,
    calendarId: calendarOrNull(channel.calendarId),
    expiration: new Date(live.expirationMs).toISOString(),
    tokenHash: channel.tokenHash,
  };
}

export function stoppedEvent(channel: Channel, resourceId: string, reason: StopReason): Lifecycle {
  return {
    type: 'stopped',
    channelId: channel.channelId,
    resourceId,
    calendarId: calendarOrNull(channel.calendarId),
    reason,
  };
}

import { z } from 'zod';

/**
 * A reason to run an incremental sync. Push notifications carry no event data, so this is
 * all there is: which resource, and why now.
 */
export const googleNotificationPayload = z.object({
  resource: z.enum(['events', 'calendarList']),
  /** Present for `events`; for `calendarList` notifications it is null. */
  calendarId: z.string().min(1).nullable(),
  /**
   * `channel-live`: a calendar just got a live channel after having none, so changes made before it
   * sent no push; one sync closes that gap.
   */
  trigger: z.enum(['push', 'safety-net', 'manual', 'channel-live']),
  /** Push only: Google's X-Goog-Resource-State. */
  resourceState: z.enum(['sync', 'exists', 'not_exists']).optional(),
  channelId: z.string().max(64).optional(),
  /** Push only: X-Goog-Message-Number, increasing per channel (not consecutive). */
  messageNumber: z.number().int().nonnegative().optional(),
  receivedAt: z.iso.datetime({ offset: true }),
});
export type GoogleNotificationPayload = z.infer<typeof googleNotificationPayload>;

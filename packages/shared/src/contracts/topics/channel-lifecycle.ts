import { z } from 'zod';

const channel = z.object({
  channelId: z.string().min(1).max(64),
  resourceId: z.string().min(1),
  resource: z.enum(['events', 'calendarList']),
  calendarId: z.string().min(1).nullable(),
  expiration: z.iso.datetime({ offset: true }),
  /** sha256 of the channel token (hex), so webhook-ingest can verify without the secret. */
  tokenHash: z.string().regex(/^[\da-f]{64}$/),
});

export const channelLifecyclePayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), channel }),
  z.object({ type: z.literal('renewed'), channel, replacedChannelId: z.string().min(1) }),
  z.object({
    type: z.literal('renewal-failed'),
    calendarId: z.string().min(1).nullable(),
    channelId: z.string().nullable(),
    attempt: z.number().int().positive(),
    reason: z.string(),
  }),
  z.object({
    type: z.literal('stopped'),
    channelId: z.string().min(1),
    resourceId: z.string().min(1),
    calendarId: z.string().min(1).nullable(),
    reason: z.enum(['replaced', 'deselected', 'revoked', 'disconnected', 'orphan', 'expired']),
  }),
  /**
   * Produced by webhook-ingest, consumed by the renewer: Google pinged a channel that is not live in
   * webhook-ingest's view (just created, retired, or an orphan left by a crash or a revoke). The
   * renewer records the resource id of a channel it is still creating, and stops orphans (Google's
   * channels.stop needs the resource id, which only the ping or the watch response carries).
   */
  z.object({
    type: z.literal('ping-unmatched'),
    channelId: z.string().min(1).max(64),
    resourceId: z.string().min(1),
    /** null: webhook-ingest does not know the calendar of a channel it does not know. */
    calendarId: z.null(),
    resourceState: z.enum(['sync', 'exists', 'not_exists']),
    /** sha256 hex of the presented X-Goog-Channel-Token, so the renewer can check it against its own record. */
    tokenHash: z
      .string()
      .regex(/^[\da-f]{64}$/)
      .nullable(),
    receivedAt: z.iso.datetime({ offset: true }),
  }),
]);
export type ChannelLifecyclePayload = z.infer<typeof channelLifecyclePayload>;

import { z } from 'zod';

/** Google's EventDateTime: exactly one of `date` (all-day) or `dateTime` (timed). Time zone kept as Google gives it. */
export const eventTimeSchema = z
  .object({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    dateTime: z.iso.datetime({ offset: true }).optional(),
    timeZone: z.string().optional(),
  })
  .refine((t) => (t.date === undefined) !== (t.dateTime === undefined), {
    message: 'exactly one of date or dateTime is required',
  });

export const attendeeSchema = z.object({
  email: z.string().min(1),
  displayName: z.string().optional(),
  responseStatus: z.enum(['needsAction', 'declined', 'tentative', 'accepted']),
  optional: z.boolean().optional(),
  organizer: z.boolean().optional(),
  self: z.boolean().optional(),
});

/** The stable, documented shape of a calendar event as the booking app sees it. */
export const calendarEventSchema = z.object({
  id: z.string().min(1),
  calendarId: z.string().min(1),
  status: z.enum(['confirmed', 'tentative', 'cancelled']),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: eventTimeSchema.optional(),
  end: eventTimeSchema.optional(),
  allDay: z.boolean(),
  attendees: z.array(attendeeSchema),
  recurrence: z.array(z.string()).optional(),
  recurringEventId: z.string().optional(),
  originalStartTime: eventTimeSchema.optional(),
  organizer: z
    .object({ email: z.string().optional(), displayName: z.string().optional(), self: z.boolean().optional() })
    .optional(),
  transparency: z.enum(['opaque', 'transparent']).optional(),
  visibility: z.string().optional(),
  eventType: z.string().optional(),
  iCalUID: z.string().optional(),
  htmlLink: z.string().optional(),
  etag: z.string().min(1),
  updated: z.iso.datetime({ offset: true }),
  sequence: z.number().int().optional(),
  /** Set when the event was created by the booking app (extendedProperties.private.bookingId). */
  bookingId: z.string().optional(),
});

export const eventChangePayload = z.object({
  calendarId: z.string().min(1),
  eventId: z.string().min(1),
  change: z.enum(['created', 'updated', 'deleted']),
  /** Per-event version that only grows; consumers drop anything not newer than what they hold. */
  version: z.number().int().positive(),
  /** `app` when the change is the echo of the booking app's own write. */
  source: z.enum(['google', 'app']),
  /** Which fields changed compared with the previous mirrored version (empty for created/deleted). */
  changedFields: z.array(z.string()),
  /** What kind of thing changed, for recurring events. */
  recurrence: z.enum(['single', 'series', 'instance', 'series-split']),
  event: calendarEventSchema,
  /** For updates: the previous start/end, so "moved from 14:00 to 15:00 on 12 June" is derivable. */
  previous: z.object({ start: eventTimeSchema.optional(), end: eventTimeSchema.optional() }).optional(),
});
export type EventChangePayload = z.infer<typeof eventChangePayload>;
export type CalendarEvent = z.infer<typeof calendarEventSchema>;
export type EventTime = z.infer<typeof eventTimeSchema>;

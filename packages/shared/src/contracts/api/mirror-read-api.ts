import { z } from 'zod';
import { calendarEventSchema } from '../topics/event-changes';

/**
 * sync-core's read API over the mirror (service-to-service, Bearer credential), so the booking
 * app can rebuild its view without calling Google:
 *   GET /internal/connections/:connectionId/calendars                         → MirrorCalendarsResponse
 *   GET /internal/connections/:connectionId/calendars/:calendarId/events      ?timeMin&timeMax&expand → MirrorEventsResponse
 *   GET /internal/connections/:connectionId/calendars/:calendarId/events/:eventId                     → MirroredEvent
 * 404 when the calendar (or event) is not mirrored. Cancelled events are left out of lists (a
 * cancelled event can still be fetched by id). `expand=true` lists the instances of recurring
 * series in the window instead of their masters (timeMin and timeMax are then required), like
 * Google's singleEvents=true (at most 2,500 instances per series). Window: events overlapping
 * [timeMin, timeMax); all-day dates count from UTC midnight. Without expand, every series master is
 * listed whatever the window (with its recurrence rules), plus the exceptions in the window. An
 * expanded instance that has no exception is not stored: get it through the list, not by id.
 */
export const mirrorEventsQuerySchema = z
  .object({
    timeMin: z.iso.datetime({ offset: true }).optional(),
    timeMax: z.iso.datetime({ offset: true }).optional(),
    expand: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .refine((q) => !q.expand || (q.timeMin !== undefined && q.timeMax !== undefined), {
    message: 'expand=true needs timeMin and timeMax',
    path: ['expand'],
  });

export const mirroredEventSchema = z.object({
  event: calendarEventSchema,
  /** The event's current version (for an expanded instance: its series master's). */
  version: z.number().int().positive(),
  /** `app` when the mirrored version is the echo of the booking app's own write. */
  source: z.enum(['google', 'app']),
});

export const mirrorCalendarSchema = z.object({
  calendarId: z.string(),
  summary: z.string().nullable(),
  timeZone: z.string().nullable(),
  selected: z.boolean(),
  /** ok, backing_off, paused, revoked, quota_paused. */
  syncState: z.string(),
  consecutiveFailures: z.number().int(),
  lastSyncedAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
});

export const mirrorCalendarsResponseSchema = z.object({ items: z.array(mirrorCalendarSchema) });
export const mirrorEventsResponseSchema = z.object({
  calendar: mirrorCalendarSchema,
  items: z.array(mirroredEventSchema),
});

export type MirrorEventsQuery = z.input<typeof mirrorEventsQuerySchema>;
export type MirroredEvent = z.infer<typeof mirroredEventSchema>;
export type MirrorCalendar = z.infer<typeof mirrorCalendarSchema>;
export type MirrorCalendarsResponse = z.infer<typeof mirrorCalendarsResponseSchema>;
export type MirrorEventsResponse = z.infer<typeof mirrorEventsResponseSchema>;

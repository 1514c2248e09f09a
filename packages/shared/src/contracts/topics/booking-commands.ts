import { z } from 'zod';
import { attendeeSchema, calendarEventSchema, eventTimeSchema } from './event-changes';

/** The fields the booking app owns on an event; writes PATCH only these. */
export const bookingFieldsSchema = z.object({
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: eventTimeSchema.optional(),
  end: eventTimeSchema.optional(),
  attendees: z.array(attendeeSchema.pick({ email: true, displayName: true, optional: true })).optional(),
  reminders: z
    .object({
      useDefault: z.boolean(),
      overrides: z.array(z.object({ method: z.enum(['email', 'popup']), minutes: z.number().int().min(0) })).optional(),
    })
    .optional(),
  transparency: z.enum(['opaque', 'transparent']).optional(),
  recurrence: z.array(z.string()).optional(),
});

const base = z.object({
  commandId: z.string().min(1),
  bookingId: z.string().min(1),
  /** When omitted, the connection's default write calendar. */
  calendarId: z.string().min(1).optional(),
  sendUpdates: z.enum(['all', 'externalOnly', 'none']).optional(),
  /** When the app user made the edit; used for last-write-wins against Google's `updated`. */
  editedAt: z.iso.datetime({ offset: true }),
});
const scope = z.enum(['instance', 'series', 'following']);

export const bookingCommandPayload = z.discriminatedUnion('op', [
  base.extend({ op: z.literal('create'), fields: bookingFieldsSchema }),
  base.extend({
    op: z.literal('update'),
    eventId: z.string().min(1),
    expectedVersion: z.number().int().positive(),
    scope: scope.optional(),
    fields: bookingFieldsSchema,
  }),
  base.extend({
    op: z.literal('delete'),
    eventId: z.string().min(1),
    expectedVersion: z.number().int().positive(),
    scope: scope.optional(),
  }),
]);

export const bookingResultPayload = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('succeeded'),
    commandId: z.string().min(1),
    bookingId: z.string().min(1),
    calendarId: z.string().min(1),
    eventId: z.string().min(1),
    etag: z.string().optional(),
    version: z.number().int().positive().optional(),
    merged: z.boolean().optional(),
  }),
  z.object({
    outcome: z.literal('failed'),
    commandId: z.string().min(1),
    bookingId: z.string().min(1),
    error: z.enum(['conflict', 'not_found', 'scope_required', 'invalid', 'revoked', 'rate_limited', 'google_error']),
    message: z.string(),
    current: calendarEventSchema.optional(),
  }),
]);
export type BookingCommandPayload = z.infer<typeof bookingCommandPayload>;
export type BookingResultPayload = z.infer<typeof bookingResultPayload>;
export type BookingFields = z.infer<typeof bookingFieldsSchema>;

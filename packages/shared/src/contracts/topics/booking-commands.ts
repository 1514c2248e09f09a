import { z } from 'zod';
import {
  bookingErrorCodeSchema,
  bookingFieldsSchema,
  bookingTargetSchema,
  conflictResolutionSchema,
  recurrenceScopeSchema,
} from '../api/booking-api';
import { calendarEventSchema } from './event-changes';

// The field schema is defined once with the booking API; re-exported here for existing importers.
export { bookingFieldsSchema };

const base = bookingTargetSchema.extend({ commandId: z.string().min(1) });

export const bookingCommandPayload = z.discriminatedUnion('op', [
  base.extend({ op: z.literal('create'), fields: bookingFieldsSchema }),
  base.extend({
    op: z.literal('update'),
    eventId: z.string().min(1),
    expectedVersion: z.number().int().positive(),
    scope: recurrenceScopeSchema.optional(),
    fields: bookingFieldsSchema,
  }),
  base.extend({
    op: z.literal('delete'),
    eventId: z.string().min(1),
    expectedVersion: z.number().int().positive(),
    scope: recurrenceScopeSchema.optional(),
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
    /** Which operation this was (absent in messages from before the field existed). */
    op: z.enum(['create', 'update', 'delete']).optional(),
    alreadyDeleted: z.boolean().optional(),
    followingEventId: z.string().optional(),
    /** Present when a concurrent edit in Google was resolved (merged or app-won). */
    conflict: conflictResolutionSchema.optional(),
  }),
  z.object({
    outcome: z.literal('failed'),
    commandId: z.string().min(1),
    bookingId: z.string().min(1),
    error: bookingErrorCodeSchema,
    message: z.string(),
    current: calendarEventSchema.optional(),
    op: z.enum(['create', 'update', 'delete']).optional(),
    eventId: z.string().optional(),
    /** Present for `conflict`: how the concurrent edit was judged (google-won, deleted-in-google). */
    conflict: conflictResolutionSchema.optional(),
  }),
]);
export type BookingCommandPayload = z.infer<typeof bookingCommandPayload>;
export type BookingResultPayload = z.infer<typeof bookingResultPayload>;
export type { BookingFields } from '../api/booking-api';

import { z } from 'zod';
import { attendeeSchema, calendarEventSchema, eventTimeSchema } from '../topics/event-changes';

/**
 * sync-core's internal booking API (service-to-service, Bearer credential), documented in
 * services/sync-core/openapi.yaml. The same request shapes travel on the booking-commands topic,
 * so both paths share these schemas:
 *   POST   /internal/connections/:connectionId/events            CreateBookingEventRequest
 *   PATCH  /internal/connections/:connectionId/events/:eventId   UpdateBookingEventRequest
 *   DELETE /internal/connections/:connectionId/events/:eventId   DeleteBookingEventQuery (query string)
 * 200 BookingWriteResponse · 202 BookingQueuedResponse (Google rate-limited us; the result follows on
 * booking.results) · 4xx/5xx BookingErrorResponse (409 `conflict` carries the current event).
 */

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

/** Which part of a recurring event a write targets; required for recurring events. */
export const recurrenceScopeSchema = z.enum(['instance', 'series', 'following']);
export const sendUpdatesSchema = z.enum(['all', 'externalOnly', 'none']);

/** What every booking write says about itself, whichever path it takes. */
export const bookingTargetSchema = z.object({
  bookingId: z.string().min(1),
  /** When omitted, the connection's default write calendar. */
  calendarId: z.string().min(1).optional(),
  /** Passed through to Google (who is emailed about the change). */
  sendUpdates: sendUpdatesSchema.optional(),
  /** When the app user made the edit; used for last-write-wins against Google's `updated`. */
  editedAt: z.iso.datetime({ offset: true }),
});

/** HTTP: an optional idempotency key; a retried request with the same key returns the first outcome. */
const httpCommandId = { commandId: z.string().min(1).max(200).optional() };

export const createBookingEventRequestSchema = bookingTargetSchema.extend({
  ...httpCommandId,
  fields: bookingFieldsSchema,
});
export const updateBookingEventRequestSchema = bookingTargetSchema.extend({
  ...httpCommandId,
  /** The event version the caller last saw (event-changes `version`, or a previous write's result). */
  expectedVersion: z.number().int().positive(),
  scope: recurrenceScopeSchema.optional(),
  fields: bookingFieldsSchema,
});
export const deleteBookingEventQuerySchema = bookingTargetSchema.extend({
  ...httpCommandId,
  expectedVersion: z.coerce.number().int().positive(),
  scope: recurrenceScopeSchema.optional(),
});

/** How a concurrent edit (Google answered 412 to our If-Match) was resolved. */
export const conflictResolutionSchema = z.object({
  resolution: z.enum(['merged', 'app-won', 'google-won', 'deleted-in-google']),
  /** App-owned fields the app changed since the version it saw. */
  appFields: z.array(z.string()),
  /** App-owned fields changed in Google since that version. */
  googleFields: z.array(z.string()),
  /** Fields changed on both sides to different values (decided by last-write-wins). */
  collidingFields: z.array(z.string()),
  appEditedAt: z.iso.datetime({ offset: true }),
  googleUpdated: z.iso.datetime({ offset: true }).optional(),
});

export const bookingErrorCodeSchema = z.enum([
  'conflict',
  'not_found',
  'scope_required',
  'invalid',
  'revoked',
  'rate_limited',
  'google_error',
]);

export const bookingWriteResponseSchema = z.object({
  status: z.literal('applied'),
  commandId: z.string().min(1),
  calendarId: z.string().min(1),
  eventId: z.string().min(1),
  /** Absent after a delete. */
  etag: z.string().optional(),
  /** The event's version after this write; send it as `expectedVersion` next time. */
  version: z.number().int().positive().optional(),
  merged: z.boolean().optional(),
  /** Delete of an event Google had already deleted. */
  alreadyDeleted: z.boolean().optional(),
  /** "This and following": the id of the new series that carries the following instances. */
  followingEventId: z.string().optional(),
  conflict: conflictResolutionSchema.optional(),
});

export const bookingQueuedResponseSchema = z.object({
  status: z.literal('queued'),
  commandId: z.string().min(1),
  /** Why it was queued (Google rate limit, transient error, or an earlier queued write of this booking). */
  reason: z.string(),
});

export const bookingErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** For `conflict`: the event as it is in Google now. */
    current: calendarEventSchema.optional(),
    conflict: conflictResolutionSchema.optional(),
    details: z.unknown().optional(),
  }),
});

export type BookingFields = z.infer<typeof bookingFieldsSchema>;
export type RecurrenceScope = z.infer<typeof recurrenceScopeSchema>;
export type CreateBookingEventRequest = z.infer<typeof createBookingEventRequestSchema>;
export type UpdateBookingEventRequest = z.infer<typeof updateBookingEventRequestSchema>;
export type DeleteBookingEventQuery = z.infer<typeof deleteBookingEventQuerySchema>;
export type ConflictResolution = z.infer<typeof conflictResolutionSchema>;
export type BookingErrorCode = z.infer<typeof bookingErrorCodeSchema>;
export type BookingWriteResponse = z.infer<typeof bookingWriteResponseSchema>;
export type BookingQueuedResponse = z.infer<typeof bookingQueuedResponseSchema>;
export type BookingErrorResponse = z.infer<typeof bookingErrorResponseSchema>;

export const BOOKING_EVENTS_PATH = (connectionId: string) =>
  `/internal/connections/${encodeURIComponent(connectionId)}/events`;
export const BOOKING_EVENT_PATH = (connectionId: string, eventId: string) =>
  `${BOOKING_EVENTS_PATH(connectionId)}/${encodeURIComponent(eventId)}`;

import { z } from 'zod';

/**
 * oauth service admin API (an org admin: session cookie from the admin page, or
 * `Authorization: Bearer <admin token>`). Every route is scoped to the admin's org.
 *   GET    /api/connections                         → ConnectionSummary[]
 *   GET    /api/connections/:connectionId/calendars → ConnectionCalendar[]
 *   PUT    /api/connections/:connectionId/calendars  body: SetCalendarSelectionRequest → ConnectionCalendar[]
 *   POST   /api/connections/:connectionId/calendars/refresh → ConnectionCalendar[]
 *   POST   /api/connections/:connectionId/pause     → InternalConnection (status `paused`; publishes `revoked`, reason `admin`)
 *   POST   /api/connections/:connectionId/resume    → InternalConnection (status `active`; publishes `reauthorized`)
 *   DELETE /api/connections/:connectionId            → 204 (revokes the grant at Google, deletes tokens)
 * Errors: 400 `invalid_request` | `unknown_calendar` | `calendar_not_writable` | `default_not_selected`,
 * 404 `connection_not_found`, 409 `connection_revoked`.
 *
 * Internal (service-to-service, Bearer credential):
 *   GET /internal/connections/:connectionId → InternalConnection
 */
export const connectionStatusSchema = z.enum(['active', 'revoked', 'paused']);

export const connectionSummarySchema = z.object({
  connectionId: z.string(),
  orgId: z.string(),
  googleSubject: z.string(),
  email: z.string(),
  status: connectionStatusSchema,
  defaultCalendarId: z.string().nullable(),
  scopes: z.array(z.string()),
  createdAt: z.iso.datetime({ offset: true }),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});

export const connectionCalendarSchema = z.object({
  calendarId: z.string(),
  summary: z.string().nullable(),
  primary: z.boolean(),
  accessRole: z.enum(['freeBusyReader', 'reader', 'writer', 'owner']),
  timeZone: z.string().nullable(),
  backgroundColor: z.string().nullable(),
  foregroundColor: z.string().nullable(),
  selected: z.boolean(),
  isDefault: z.boolean(),
  watchable: z.boolean(),
});

export const setCalendarSelectionRequestSchema = z.object({
  /** The complete set of calendars to sync; anything not listed is deselected. */
  calendarIds: z.array(z.string().min(1)).max(500),
  /** The calendar the booking app writes to; must be writable (writer/owner) and selected. Unchanged when absent. */
  defaultCalendarId: z.string().min(1).optional(),
});

export const internalConnectionSchema = connectionSummarySchema.extend({
  calendars: z.array(connectionCalendarSchema),
});

export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>;
export type ConnectionCalendar = z.infer<typeof connectionCalendarSchema>;
export type SetCalendarSelectionRequest = z.infer<typeof setCalendarSelectionRequestSchema>;
export type InternalConnection = z.infer<typeof internalConnectionSchema>;

export const CONNECTIONS_PATH = '/api/connections';
export const CONNECTION_CALENDARS_PATH = (connectionId: string) =>
  `/api/connections/${encodeURIComponent(connectionId)}/calendars`;
export const INTERNAL_CONNECTION_PATH = (connectionId: string) =>
  `/internal/connections/${encodeURIComponent(connectionId)}`;

import { z } from 'zod';

export const calendarRefSchema = z.object({
  calendarId: z.string().min(1),
  summary: z.string().optional(),
  accessRole: z.enum(['freeBusyReader', 'reader', 'writer', 'owner']),
  primary: z.boolean(),
  timeZone: z.string().optional(),
  /** Read-only system calendars (holidays, birthdays) cannot be watched: they are polled. */
  watchable: z.boolean(),
});

const connected = z.object({
  type: z.literal('connected'),
  googleSubject: z.string().min(1),
  email: z.email(),
  calendars: z.array(calendarRefSchema),
});
const reauthorized = z.object({
  type: z.literal('reauthorized'),
  googleSubject: z.string().min(1),
  email: z.email(),
});
const calendarsSelected = z.object({
  type: z.literal('calendars.selected'),
  calendars: z.array(calendarRefSchema).min(1),
});
const calendarsDeselected = z.object({
  type: z.literal('calendars.deselected'),
  calendarIds: z.array(z.string().min(1)).min(1),
});
const defaultCalendarChanged = z.object({
  type: z.literal('default-calendar.changed'),
  calendarId: z.string().min(1),
});
const revoked = z.object({
  type: z.literal('revoked'),
  reason: z.enum(['invalid_grant', 'user_disconnected', 'admin']),
});
const disconnected = z.object({ type: z.literal('disconnected') });

export const connectionLifecyclePayload = z.discriminatedUnion('type', [
  connected,
  reauthorized,
  calendarsSelected,
  calendarsDeselected,
  defaultCalendarChanged,
  revoked,
  disconnected,
]);
export type ConnectionLifecyclePayload = z.infer<typeof connectionLifecyclePayload>;
export type CalendarRef = z.infer<typeof calendarRefSchema>;

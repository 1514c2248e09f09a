import { z } from 'zod';

/**
 * An admin alert. `kind` + `subject` identify the incident, so the notifier can group repeats
 * and close it on `resolved`.
 */
export const adminAlertPayload = z.object({
  kind: z.enum([
    'connection.revoked',
    'channel.renewal-failing',
    'sync.paused',
    'sync.quota-exceeded',
    'outbound.paused',
    'sync.permanent-error',
  ]),
  status: z.enum(['open', 'resolved']),
  severity: z.enum(['info', 'warning', 'critical']),
  /** What the incident is about, e.g. `calendar:<id>` or `connection:<id>`. */
  subject: z.string().min(1),
  title: z.string().min(1),
  detail: z.string(),
  accountEmail: z.string().optional(),
  calendarId: z.string().optional(),
  /** What to do, e.g. "Reconnect Google account". */
  action: z.object({ label: z.string(), url: z.string() }).optional(),
  since: z.iso.datetime({ offset: true }),
});
export type AdminAlertPayload = z.infer<typeof adminAlertPayload>;

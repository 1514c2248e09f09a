import type { AdminAlertPayload } from '@gcal-sync/shared';
import type { CalendarKey } from './calendar-key';
import type { AlertKind } from './sync-failure';

type Alert = Omit<AdminAlertPayload, 'since'>;

const TITLES: Record<AlertKind, string> = {
  'sync.paused': 'Calendar sync paused after repeated Google errors',
  'sync.permanent-error': 'Calendar sync failing: Google rejects the request',
};

/** The admin alert for a calendar's sync incident; `resolved` closes the same incident (kind + subject). */
export function calendarAlert(
  key: CalendarKey,
  kind: AlertKind,
  status: 'open' | 'resolved',
  detail: string,
  accountEmail?: string | null,
): Alert {
  return {
    ...(accountEmail ? { accountEmail } : {}),
    kind,
    status,
    severity: status === 'resolved' ? 'info' : kind === 'sync.permanent-error' ? 'critical' : 'warning',
    subject: `calendar:${key.connectionId}/${key.calendarId}`,
    title: status === 'resolved' ? `Calendar sync recovered` : TITLES[kind],
    detail,
    calendarId: key.calendarId,
  };
}

/** Google's Calendar usage limit hit by an account: one incident per connection. */
export function quotaAlert(
  connectionId: string,
  status: 'open' | 'resolved',
  detail: string,
  accountEmail?: string | null,
): Alert {
  return {
    ...(accountEmail ? { accountEmail } : {}),
    kind: 'sync.quota-exceeded',
    status,
    severity: status === 'resolved' ? 'info' : 'warning',
    subject: `connection:${connectionId}`,
    title: status === 'resolved' ? 'Google Calendar usage limit lifted' : 'Google Calendar usage limit exceeded',
    detail,
  };
}

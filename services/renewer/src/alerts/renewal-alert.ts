import type { AdminAlertPayload } from '@gcal-sync/shared';

export type AlertTarget = {
  resource: 'events' | 'calendarList';
  calendarId: string;
  connectionId: string;
  summary: string | null;
};

/** One incident per target: the notifier groups by kind + subject and closes on `resolved`. */
export function alertSubject(target: AlertTarget): string {
  return target.resource === 'events' ? `calendar:${target.calendarId}` : `connection:${target.connectionId}`;
}

function describe(target: AlertTarget): string {
  return target.resource === 'events'
    ? `calendar ${target.summary ?? target.calendarId}`
    : `the calendar list of connection ${target.connectionId}`;
}

/** What an open alert and its resolution share, so the notifier pairs them. */
function incident(target: AlertTarget) {
  return {
    kind: 'channel.renewal-failing' as const,
    subject: alertSubject(target),
    ...(target.resource === 'events' ? { calendarId: target.calendarId } : {}),
  };
}

export function renewalFailingAlert(
  target: AlertTarget,
  details: { failures: number; reason: string; since: string; fallbackIntervalMs: number },
): AdminAlertPayload {
  return {
    ...incident(target),
    status: 'open',
    severity: 'warning',
    title: `Push notifications failing for ${describe(target)}`,
    detail:
      `Google push channel could not be created ${details.failures} times (last error: ${details.reason}). ` +
      `Changes are picked up by polling every ${Math.round(details.fallbackIntervalMs / 1000)} s until it recovers.`,
    since: details.since,
  };
}

export function renewalRecoveredAlert(target: AlertTarget, since: string): AdminAlertPayload {
  return {
    ...incident(target),
    status: 'resolved',
    severity: 'info',
    title: `Push notifications recovered for ${describe(target)}`,
    detail: 'A push channel is live again; the safety-net interval is back to normal.',
    since,
  };
}

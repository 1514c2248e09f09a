import type { AdminAlertPayload } from '@gcal-sync/shared';

/** The open incident with the alert's (org, kind, subject), as far as the decision needs it. */
export type OpenIncident = { id: string };

export type AlertDecision =
  | { type: 'open' }
  | { type: 'repeat'; incidentId: string }
  | { type: 'resolve'; incidentId: string }
  | { type: 'ignore'; reason: 'stale-open' | 'resolve-without-open' };

/**
 * What an alert does to the incident log. One incident per (org, kind, subject): the first `open`
 * opens it (one Slack message), further `open`s are repeats (counted, not re-sent), `resolved`
 * closes it (one more message). An `open` that happened before the last resolution of the same
 * incident is a late duplicate (a producer retry, a replay) and must not reopen it.
 */
export function applyAlert(input: {
  status: AdminAlertPayload['status'];
  occurredAt: Date;
  open: OpenIncident | null;
  lastResolvedAt: Date | null;
}): AlertDecision {
  const { status, occurredAt, open, lastResolvedAt } = input;
  if (status === 'resolved') {
    return open ? { type: 'resolve', incidentId: open.id } : { type: 'ignore', reason: 'resolve-without-open' };
  }
  if (open) return { type: 'repeat', incidentId: open.id };
  if (lastResolvedAt && occurredAt.getTime() <= lastResolvedAt.getTime())
    return { type: 'ignore', reason: 'stale-open' };
  return { type: 'open' };
}

import type { AdminAlertPayload } from '@gcal-sync/shared';

type Kind = AdminAlertPayload['kind'];
type Severity = AdminAlertPayload['severity'];

/** The incident facts a message shows; a snapshot taken when the message was queued. */
export type IncidentFacts = {
  incidentId: string;
  kind: Kind;
  subject: string;
  severity: Severity;
  title: string;
  detail: string;
  accountEmail: string | null;
  calendarId: string | null;
  action: { label: string; url: string } | null;
  since: string;
};

export type OpenedNotification = { type: 'opened'; incident: IncidentFacts };
export type ResolvedNotification = {
  type: 'resolved';
  incident: IncidentFacts;
  resolvedAt: string;
  occurrences: number;
};

/** Everything a storm window folded together; rendered as one message when the window ends. */
export type SummaryNotification = {
  type: 'summary';
  /** `storm`: the org's rate limit folded them; `backlog`: they piled up while Slack was unreachable. */
  cause?: 'storm' | 'backlog';
  windowEndsAt: string;
  opened: number;
  resolved: number;
  bySeverity: Partial<Record<Severity, number>>;
  byKind: Partial<Record<Kind, number>>;
  /** The first few incidents, so the message says what the storm is about. */
  samples: { title: string; subject: string; severity: Severity; status: 'opened' | 'resolved' }[];
};

/** What a queued delivery says; stored as jsonb in notifier_deliveries.content. */
export type Notification = OpenedNotification | ResolvedNotification | SummaryNotification;

export const SUMMARY_SAMPLES = 5;

/** Folds one more opened/resolved notification into a window's summary (a new one when absent). */
export function addToSummary(
  summary: SummaryNotification | null,
  item: OpenedNotification | ResolvedNotification,
  windowEndsAt: Date,
): SummaryNotification {
  const base: SummaryNotification = summary ?? { ...addToSummaryBase(windowEndsAt), cause: 'storm' };
  const { incident } = item;
  const samples =
    base.samples.length < SUMMARY_SAMPLES
      ? [
          ...base.samples,
          { title: incident.title, subject: incident.subject, severity: incident.severity, status: item.type },
        ]
      : base.samples;
  return {
    ...base,
    opened: base.opened + (item.type === 'opened' ? 1 : 0),
    resolved: base.resolved + (item.type === 'resolved' ? 1 : 0),
    // Severity and kind counts are about problems raised; a resolution is good news, counted apart.
    bySeverity:
      item.type === 'opened'
        ? { ...base.bySeverity, [incident.severity]: (base.bySeverity[incident.severity] ?? 0) + 1 }
        : base.bySeverity,
    byKind:
      item.type === 'opened' ? { ...base.byKind, [incident.kind]: (base.byKind[incident.kind] ?? 0) + 1 } : base.byKind,
    samples,
  };
}

function mergeCounts<K extends string>(a: Partial<Record<K, number>>, b: Partial<Record<K, number>>) {
  const out: Partial<Record<K, number>> = { ...a };
  for (const [key, n] of Object.entries(b) as [K, number][]) out[key] = (out[key] ?? 0) + n;
  return out;
}

/**
 * Folds a backlog of queued messages (individual ones and summaries) into one summary, so an org
 * whose Slack was unreachable gets one catch-up message instead of everything at once.
 */
export function foldBacklog(notifications: Notification[], now: Date): SummaryNotification {
  let folded: SummaryNotification = { ...addToSummaryBase(now), cause: 'backlog' };
  for (const notification of notifications) {
    if (notification.type !== 'summary') {
      folded = addToSummary(folded, notification, now);
      continue;
    }
    folded = {
      ...folded,
      opened: folded.opened + notification.opened,
      resolved: folded.resolved + notification.resolved,
      bySeverity: mergeCounts(folded.bySeverity, notification.bySeverity),
      byKind: mergeCounts(folded.byKind, notification.byKind),
      samples: [...folded.samples, ...notification.samples].slice(0, SUMMARY_SAMPLES),
    };
  }
  return folded;
}

function addToSummaryBase(windowEndsAt: Date): SummaryNotification {
  return {
    type: 'summary',
    windowEndsAt: windowEndsAt.toISOString(),
    opened: 0,
    resolved: 0,
    bySeverity: {},
    byKind: {},
    samples: [],
  };
}

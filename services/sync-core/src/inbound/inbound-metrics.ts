import { counterAtZero, type ServiceMetrics } from '@gcal-sync/shared';
import { Counter, Gauge, Histogram } from 'prom-client';

/** Google → app metrics, registered on the service's registry. */
export function createInboundMetrics(
  registry: ServiceMetrics['registry'],
  sources: { calendarsByState(): Promise<{ state: string; count: number }[]> },
) {
  const registers = [registry];
  return {
    calendarsByState: new Gauge({
      name: 'sync_calendars',
      help: 'Selected calendars by sync state (ok, backing_off, paused, revoked, quota_paused), read from Postgres at scrape time.',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const rows = await sources.calendarsByState().catch(() => undefined);
        if (!rows) return;
        this.reset();
        for (const { state, count } of rows) this.set({ state }, count);
      },
    }),
    googleCalls: new Counter({
      name: 'google_api_calls_total',
      help: 'Google Calendar API calls by method, outcome (ok or the error class), HTTP status ("network" without an answer) and Google\'s error reason ("none" on success, "other" off the allow-list).',
      labelNames: ['method', 'outcome', 'status', 'reason'] as const,
      registers,
    }),
    editToChangeEvent: new Histogram({
      name: 'google_edit_to_change_event_seconds',
      help: "Time from an event's `updated` stamp in Google to its change event being committed to the outbox (incremental syncs).",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    }),
    // At 0 for their known labels from the start, so rate()/increase() see the first one.
    changesApplied: counterAtZero(
      new Counter({
        name: 'sync_changes_applied_total',
        help: 'Change events enqueued by kind (created, updated, deleted) and source (google, app).',
        labelNames: ['change', 'source'] as const,
        registers,
      }),
      { change: ['created', 'updated', 'deleted'], source: ['google', 'app'] },
    ),
    syncRuns: counterAtZero(
      new Counter({
        name: 'sync_runs_total',
        help: 'Calendar sync runs by kind (incremental, full) and outcome (ok, skipped, failed).',
        labelNames: ['kind', 'outcome'] as const,
        registers,
      }),
      { kind: ['incremental', 'full'], outcome: ['ok', 'skipped', 'failed'] },
    ),
    quotaTokens: new Gauge({
      name: 'google_quota_bucket_tokens',
      help: 'Tokens left in the Google request budgets: the project bucket and the emptiest connection bucket.',
      labelNames: ['bucket'] as const,
      registers,
    }),
    quotaCapacity: new Gauge({
      name: 'google_quota_bucket_capacity',
      help: 'Burst size of the Google request budgets (a tenth of the per-minute budget): google_quota_bucket_tokens / this is how full a bucket is.',
      labelNames: ['bucket'] as const,
      registers,
    }),
    quotaWaiting: new Gauge({
      name: 'google_quota_waiting_requests',
      help: 'Google requests waiting for a quota token.',
      registers,
    }),
  };
}

export type InboundMetrics = ReturnType<typeof createInboundMetrics>;

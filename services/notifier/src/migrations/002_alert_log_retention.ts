import type { Migration } from '@gcal-sync/shared';

/** Indexes the retention job needs: deleting a delivery checks the incidents referencing it. */
export const alertLogRetention: Migration = {
  version: 2,
  name: 'alert_log_retention',
  sql: `
    CREATE INDEX notifier_incidents_opened_delivery ON notifier_incidents (opened_delivery_id);
    CREATE INDEX notifier_incidents_resolved_delivery ON notifier_incidents (resolved_delivery_id);
    CREATE INDEX notifier_incidents_resolved_age ON notifier_incidents (resolved_at) WHERE status = 'resolved';
    CREATE INDEX notifier_deliveries_finished_age ON notifier_deliveries (finished_at) WHERE status <> 'pending';
  `,
};

import type { Migration } from '@gcal-sync/shared';

/** A queued message sent as part of a catch-up summary records which delivery carried it. */
export const deliveryFolding: Migration = {
  version: 3,
  name: 'delivery_folding',
  sql: 'ALTER TABLE notifier_deliveries ADD COLUMN folded_into bigint',
};

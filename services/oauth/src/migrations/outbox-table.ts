/** Lifecycle events and admin alerts are written here in the transaction that made the change. */
export const OUTBOX_TABLE = 'oauth_outbox';

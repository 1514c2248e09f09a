import { type Migration, outboxMigration } from '@gcal-sync/shared';
import { connectionsMigration } from './001_connections';
import { OUTBOX_TABLE } from './outbox-table';

/** This service's tables, in order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [connectionsMigration, outboxMigration(OUTBOX_TABLE, 2)];

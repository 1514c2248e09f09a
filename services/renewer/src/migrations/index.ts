import { type Migration, outboxMigration } from '@gcal-sync/shared';
import { channelTables } from './001_channels';

export const OUTBOX_TABLE = 'renewer_outbox';

/** This service's tables, in order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [channelTables, outboxMigration(OUTBOX_TABLE, 2)];

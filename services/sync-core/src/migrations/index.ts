import type { Migration } from '@gcal-sync/shared';
import { inboundMigrations } from './inbound';
import { outboundMigrations } from './outbound';

/**
 * sync-core's tables, in order. Inbound (Google → app) owns versions 1–99, outbound (app → Google)
 * 100–199. Never edit a released migration: add a new one.
 */
export const migrations: Migration[] = [...inboundMigrations, ...outboundMigrations];

import type { Migration } from '@gcal-sync/shared';
import { webhookChannels } from './001_webhook_channels';

/** This service's tables, in order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [webhookChannels];

import type { Migration } from '@gcal-sync/shared';
import { notifierTables } from './001_notifier';
import { alertLogRetention } from './002_alert_log_retention';
import { deliveryFolding } from './003_delivery_folding';

/** This service's tables, in order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [notifierTables, alertLogRetention, deliveryFolding];

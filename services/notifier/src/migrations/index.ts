import type { Migration } from '@gcal-sync/shared';
import { notifierTables } from './001_notifier';

/** This service's tables, in order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [notifierTables];

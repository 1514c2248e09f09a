import type { Migration } from '@gcal-sync/shared';

/** This service's tables, in order. Never edit a released migration: add a new one. */
export const migrations: Migration[] = [];

import type { Migration } from '@gcal-sync/shared';

/** Outbound (app → Google) tables: versions 100–199. */
export const outboundMigrations: Migration[] = [];

import type { Logger, Pool } from '@gcal-sync/shared';
import type { ChannelsApi } from '../google/channels-api';
import type { RenewerMetrics } from '../renewer-metrics';
import type { RenewPolicy } from '../schedule/renew-at';
import type { TickPolicy } from '../schedule/tick-interval';

/** What the channel work needs; `clock` is injectable so tests can move time like the emulator does. */
export type WorkDeps = {
  pool: Pool;
  api: ChannelsApi;
  clock: () => number;
  /** This replica's lease owner id. */
  owner: string;
  logger: Logger;
  metrics: RenewerMetrics;
  settings: {
    webhookAddress: string;
    ttlSeconds: number;
    leaseMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    renew: RenewPolicy;
    ticks: TickPolicy;
  };
};

import type { Clock } from './clock';
import type { Counters } from './counters';
import type { Faults } from './faults';
import type { Push } from './push';
import type { Quota } from './quota';
import type { EmulatorState } from './state';

export interface QuotaOptions {
  /** Requests per minute per project (OAuth client). Google: 10,000. */
  perProjectPerMinute?: number;
  /** Requests per minute per user per project. Google: 600. */
  perUserPerMinute?: number;
  /** Whether a rate-limited call answers 403 (rateLimitExceeded/userRateLimitExceeded) or 429. */
  rateLimitStatus?: 403 | 429;
  /** Calendar usage limit: events created per user within `usageWindowMs` before 403 quotaExceeded. */
  eventsCreatedPerWindow?: number;
  usageWindowMs?: number;
  /** How long a calendar stays read-only after hitting the usage limit. */
  readOnlyMs?: number;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  autoConsent?: boolean;
  allowHttpPush?: boolean;
  /** When set, only these OAuth clients (id → secret) are accepted. */
  clients?: Record<string, string>;
  quotas?: QuotaOptions;
  /** Time zone of users created on first consent. */
  defaultTimeZone?: string;
  /** Base delay of push retries (Google backs off exponentially). */
  pushRetryBaseMs?: number;
  /** Sync tokens older than this get 410 fullSyncRequired (default 28 days). */
  syncTokenTtlMs?: number;
  /** Persist state to this JSON file on stop and load it on start. */
  stateFile?: string;
}

export interface Emu {
  state: EmulatorState;
  clock: Clock;
  options: EmulatorOptions;
  push: Push;
  quota: Quota;
  faults: Faults;
  counters: Counters;
  /** Origin the server is reachable at, e.g. http://127.0.0.1:8088. */
  origin: string;
}

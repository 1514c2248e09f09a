import { z } from 'zod';

/** Reusable parsers for environment variables (which are always strings). */
export const env = {
  port: (fallback?: number) => {
    const schema = z.coerce.number().int().min(0).max(65535);
    return fallback === undefined ? schema : schema.default(fallback);
  },
  int: (fallback?: number, min = 0) => {
    const schema = z.coerce.number().int().min(min);
    return fallback === undefined ? schema : schema.default(fallback);
  },
  url: () => z.url(),
  postgresUrl: () => z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  list: () =>
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string()).min(1, 'must list at least one value')),
  bool: (fallback = false) =>
    z
      .enum(['1', '0', 'true', 'false', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  /** `name:token,name2:token2` credentials of callers allowed on an internal API. */
  credentials: () =>
    z.string().transform((s, ctx) => {
      const out: Record<string, string> = {};
      for (const pair of s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const idx = pair.indexOf(':');
        if (idx <= 0 || idx === pair.length - 1) {
          ctx.addIssue({ code: 'custom', message: 'must be name:token pairs separated by commas' });
          return z.NEVER;
        }
        const token = pair.slice(idx + 1);
        if (token.length < 16) {
          ctx.addIssue({ code: 'custom', message: `token of "${pair.slice(0, idx)}" must be at least 16 characters` });
          return z.NEVER;
        }
        out[pair.slice(0, idx)] = token;
      }
      return out;
    }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** Variables every service reads. A service's own schema extends this. */
export const baseServiceEnv = z.object({
  PORT: env.port(8080),
  DATABASE_URL: env.postgresUrl(),
  KAFKA_BROKERS: env.list(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, . _ - only')
    .default(''),
  /**
   * Create the registry topics (and their .dlq) at start if missing, with dev settings (3
   * partitions, replication 1): on for local runs and tests; the Helm chart sets it to false
   * because its topics hook Job creates them with the cluster's partitions and replication.
   */
  KAFKA_ENSURE_TOPICS: env.bool(true),
  /**
   * How long the group waits for a consumer that stopped heartbeating (a crashed replica) before
   * handing its partitions to the others: their messages wait that long. Kafka's broker floor is 6 s.
   */
  KAFKA_SESSION_TIMEOUT_MS: env.int(30_000, 6_000),
  LOG_LEVEL: env.logLevel(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Callers allowed on this service's internal API: `name:token,...`. */
  INTERNAL_API_TOKENS: env.credentials(),
});
export type BaseServiceEnv = z.infer<typeof baseServiceEnv>;

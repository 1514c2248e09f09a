#!/usr/bin/env node
/**
 * Creates every registry topic and its dead-letter topic (the Helm chart's topics hook Job runs
 * this before services start, so partitions, replication and retention are the operator's, not
 * the services' development defaults). Idempotent: existing topics are left as they are.
 *
 * Env: KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
 * TOPIC_RETENTION_MS (optional), LOG_LEVEL.
 */
import { z } from 'zod';
import { env } from '../config/env-types';
import { loadConfig } from '../config/load-config';
import { createLogger } from '../logging/logger';
import { connectKafka } from './connection';
import { ensureTopics, type TopicSettings } from './topics-admin';

const topicsCliEnv = z.object({
  KAFKA_BROKERS: env.list(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, . _ - only')
    .default(''),
  TOPIC_PARTITIONS: env.int(12, 1),
  TOPIC_REPLICATION_FACTOR: env.int(3, 1),
  /** Unset: the broker's default retention. */
  TOPIC_RETENTION_MS: env.int(undefined, 60_000).optional(),
  LOG_LEVEL: env.logLevel(),
});

/** The settings and connection options the CLI uses, from its environment. */
export function topicsCliConfig(source: NodeJS.ProcessEnv) {
  const cfg = loadConfig(topicsCliEnv, source);
  const settings: TopicSettings = {
    partitions: cfg.TOPIC_PARTITIONS,
    replicationFactor: cfg.TOPIC_REPLICATION_FACTOR,
    retentionMs: cfg.TOPIC_RETENTION_MS,
  };
  return { brokers: cfg.KAFKA_BROKERS, topicPrefix: cfg.KAFKA_TOPIC_PREFIX, logLevel: cfg.LOG_LEVEL, settings };
}

async function main() {
  let cfg: ReturnType<typeof topicsCliConfig>;
  try {
    cfg = topicsCliConfig(process.env);
  } catch (error) {
    process.stderr.write(`create-topics: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ service: 'create-topics', level: cfg.logLevel });
  const kafka = connectKafka({ brokers: cfg.brokers, clientId: 'create-topics', topicPrefix: cfg.topicPrefix, logger });
  const created = await ensureTopics(kafka, cfg.settings);
  logger.info({ created, settings: cfg.settings, prefix: cfg.topicPrefix }, `created ${created.length} topic(s)`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`create-topics: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}

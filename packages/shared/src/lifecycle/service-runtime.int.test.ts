import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseServiceEnv } from '../config/env-types';
import { loadConfig } from '../config/load-config';
import { allTopicKeys, deadLetterTopicName, topicName } from '../contracts/registry';
import { createLogger } from '../logging/logger';
import { createServiceRuntime } from './service-runtime';

/** KAFKA_ENSURE_TOPICS decides whether a starting service creates the registry topics (the Helm chart turns it off). */
let db: TestDatabase;
let brokers: string[];
const logger = createLogger({ service: 'runtime-int-test', level: 'warn' });

beforeAll(async () => {
  brokers = await kafkaBrokers();
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** Starts a runtime with the given env switch and answers the topics of its prefix that exist afterwards. */
async function topicsAfterStart(ensure: string | undefined): Promise<{ prefix: string; topics: string[] }> {
  const prefix = uniqueTopicPrefix();
  const config = loadConfig(baseServiceEnv, {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    INTERNAL_API_TOKENS: 'test:0123456789abcdef',
    ...(ensure === undefined ? {} : { KAFKA_ENSURE_TOPICS: ensure }),
  });
  const runtime = await createServiceRuntime({ service: 'runtime-int-test', config, migrations: [], logger });
  try {
    const admin = runtime.kafka.kafka.admin();
    await admin.connect();
    try {
      return { prefix, topics: (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort() };
    } finally {
      await admin.disconnect();
    }
  } finally {
    await runtime.shutdown.run();
  }
}

describe('createServiceRuntime: KAFKA_ENSURE_TOPICS', () => {
  it('creates every registry topic and its .dlq by default (local runs, tests)', async () => {
    const { prefix, topics } = await topicsAfterStart(undefined);
    const wanted = allTopicKeys.flatMap((key) => [topicName(key, prefix), deadLetterTopicName(topicName(key, prefix))]);
    expect(topics).toEqual(wanted.sort());
  });

  it('creates none with KAFKA_ENSURE_TOPICS=false (the Helm chart: its hook Job creates them)', async () => {
    const { topics } = await topicsAfterStart('false');
    expect(topics).toEqual([]);
  });
});

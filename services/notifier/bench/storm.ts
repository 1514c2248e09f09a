/**
 * Storm benchmark: N admin alerts for one org (one Kafka partition, the worst case), then the same
 * spread over many orgs. Prints JSON: ingest rate (alerts committed to the incident log per second),
 * Slack messages sent, and time until every queued message was delivered. Needs the local stack.
 *   pnpm --filter @gcal-sync/notifier bench   (BENCH_ALERTS=5000 BENCH_ORGS=50 to change the load)
 */
import { randomBytes } from 'node:crypto';
import {
  type AdminAlertPayload,
  connectKafka,
  createLogger,
  createPublisher,
  SLACK_WEBHOOK_PATH,
} from '@gcal-sync/shared';
import { createTestDatabase, kafkaBrokers, uniqueTopicPrefix, waitFor } from '@gcal-sync/testkit';
import pg from 'pg';
import { loadServiceConfig } from '../src/config';
import { start } from '../src/main';
import { startFakeSlack } from '../test/fake-slack';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 2000);
const ORGS = Number(process.env.BENCH_ORGS ?? 50);
const TOKEN = 'bench-token-0123456789abcdef';
const RATE = { ORG_MESSAGES_PER_WINDOW: '5', ORG_RATE_WINDOW_MS: '2000' };

async function main() {
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const slack = await startFakeSlack();
  const brokers = await kafkaBrokers();
  const prefix = uniqueTopicPrefix();
  const service = await start(
    loadServiceConfig({
      PORT: '0',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'error',
      INTERNAL_API_TOKENS: `bench:${TOKEN}`,
      WEBHOOK_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      WEBHOOK_ACTIVE_KEY_ID: 'k1',
      SLACK_WEBHOOK_HOSTS: '127.0.0.1',
      SLACK_ALLOW_HTTP: 'true',
      ADMIN_BASE_URL: 'https://admin.example.test',
      DELIVERY_POLL_MS: '100',
      ...RATE,
    }),
  );
  const logger = createLogger({ service: 'notifier-bench', level: 'error' });
  const publisher = await createPublisher(
    connectKafka({ brokers, clientId: 'notifier-bench', topicPrefix: prefix, logger }),
    {
      lingerMs: 5,
    },
  );
  const alert = (i: number): AdminAlertPayload => ({
    kind: 'sync.paused',
    status: 'open',
    severity: 'warning',
    subject: `calendar:${i}`,
    title: `Sync paused ${i}`,
    detail: 'Google answered 403 rateLimitExceeded.',
    since: new Date().toISOString(),
  });

  async function scenario(name: string, orgs: string[]) {
    for (const org of orgs) {
      await fetch(`${service.url}${SLACK_WEBHOOK_PATH(org)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: slack.url(org) }),
      });
    }
    const started = Date.now();
    await Promise.all(
      Array.from({ length: ALERTS }, (_, i) =>
        publisher.publish('adminAlerts', { orgId: orgs[i % orgs.length]!, connectionId: null, payload: alert(i) }),
      ),
    );
    const published = Date.now();
    const count = async (sql: string) => (await pool.query(sql, [orgs])).rows[0].n as number;
    await waitFor(
      async () => (await count('SELECT count(*)::int AS n FROM notifier_incidents WHERE org_id = ANY($1)')) === ALERTS,
      {
        timeoutMs: 600_000,
        intervalMs: 50,
      },
    );
    const ingested = Date.now();
    await waitFor(
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM notifier_deliveries WHERE org_id = ANY($1) AND status = 'pending'",
        )) === 0,
      { timeoutMs: 600_000, intervalMs: 50 },
    );
    const drained = Date.now();
    const messages = orgs.reduce((n, org) => n + slack.messages(org).length, 0);
    return {
      scenario: name,
      alerts: ALERTS,
      orgs: orgs.length,
      publishMs: published - started,
      ingestMs: ingested - started,
      ingestAlertsPerSecond: Math.round((ALERTS / (ingested - started)) * 1000),
      allDeliveredMs: drained - started,
      slackMessages: messages,
      slackMessagesPerOrgMax: Math.max(...orgs.map((org) => slack.messages(org).length)),
    };
  }

  /** Mean time per consumed message (handler transaction + offset commit), from the service's own histogram. */
  async function meanHandleMs() {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const sum = Number(/kafka_message_handle_duration_seconds_sum\{[^}]*\} ([\d.e+-]+)/.exec(text)?.[1]);
    const count = Number(/kafka_message_handle_duration_seconds_count\{[^}]*\} (\d+)/.exec(text)?.[1]);
    return Math.round((sum / count) * 1000 * 100) / 100;
  }

  const results = [
    await scenario('one org storm', ['bench-storm']),
    await scenario(
      'many orgs',
      Array.from({ length: ORGS }, (_, i) => `bench-org-${i}`),
    ),
  ];
  const report = { benchmark: 'notifier-storm', rateLimit: RATE, results, meanHandleMs: await meanHandleMs() };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  await service.stop();
  await publisher.close();
  await slack.close();
  await pool.end();
  await db.drop();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});

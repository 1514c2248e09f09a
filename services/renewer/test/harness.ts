import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startAccessTokenServer, testPublisher } from '@gcal-sync/contract-testkit';
import { googleEnvForOrigin, type MessageOf, topicName } from '@gcal-sync/shared';
import { consumeTopic, type TopicCollector, waitFor } from '@gcal-sync/testkit';
import { loadServiceConfig } from '../src/config';
import { start } from '../src/main';

/** Scopes of the grant the consent flow would have given the oauth service. */
export const GRANTED_SCOPES = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
  'openid',
  'email',
];

/** A one-hour event with the given summary, as someone creates it in Google Calendar. */
export const googleEvent = (summary: string) => ({
  summary,
  start: { dateTime: '2026-12-01T10:00:00Z' },
  end: { dateTime: '2026-12-01T11:00:00Z' },
});

/** The renewer's clock in tests: real time plus the offset the emulator's clock was moved by. */
export class TestClock {
  offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
}

export type RenewerEnv = {
  databaseUrl: string;
  brokers: string[];
  topicPrefix: string;
  emulatorUrl: string;
  webhookAddress: string;
  oauthUrl: string;
  oauthCredential: string;
  extra?: Record<string, string>;
};

export async function startRenewer(env: RenewerEnv, clock: TestClock) {
  const config = loadServiceConfig({
    DATABASE_URL: env.databaseUrl,
    KAFKA_BROKERS: env.brokers.join(','),
    KAFKA_TOPIC_PREFIX: env.topicPrefix,
    INTERNAL_API_TOKENS: 'tests:0123456789abcdef',
    PORT: '0',
    LOG_LEVEL: process.env.RENEWER_TEST_LOG_LEVEL ?? 'warn',
    ...googleEnvForOrigin(env.emulatorUrl),
    WEBHOOK_ADDRESS: env.webhookAddress,
    ALLOW_HTTP_WEBHOOK: 'true',
    OAUTH_BASE_URL: env.oauthUrl,
    OAUTH_CREDENTIAL: env.oauthCredential,
    LOOP_INTERVAL_MS: '100',
    RETRY_BASE_MS: '300',
    RETRY_MAX_MS: '1500',
    ...env.extra,
  });
  return start(config, { clock: clock.now });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Plays the oauth service's internal access-token API: real refresh-token grants against the
 * emulator for each connection the test registers.
 */
export function startTokenServer(emulatorOrigin: string, clientId: string) {
  return startAccessTokenServer({
    emulatorOrigin,
    clientId,
    clientSecret: 'test-secret',
    credential: 'renewer-test-credential-0123456789',
  });
}

/**
 * webhook-ingest as its own process (its built dist/bin.js), as deployed: services never import
 * each other, they meet over Kafka and HTTP.
 */
export async function startWebhookIngestProcess(env: { databaseUrl: string; brokers: string[]; topicPrefix: string }) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '../../webhook-ingest/dist/bin.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: env.databaseUrl,
      KAFKA_BROKERS: env.brokers.join(','),
      KAFKA_TOPIC_PREFIX: env.topicPrefix,
      INTERNAL_API_TOKENS: 'tests:0123456789abcdef',
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`webhook-ingest exited with ${child.exitCode} (is it built?)`);
      return (await fetch(`${url}/readyz`)).ok;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  return {
    pushUrl: `${url}/google/notifications`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

type Lifecycle = MessageOf<'channelLifecycle'>;
type Notification = MessageOf<'googleNotifications'>;
type Alert = MessageOf<'adminAlerts'>;

/** Plays the oauth service on the connection-lifecycle topic, and collects what the renewer publishes. */
export async function kafkaSide(brokers: string[], topicPrefix: string) {
  const kafka = await testPublisher({
    brokers,
    topicPrefix,
    clientId: 'renewer-test',
    ensureTopics: { partitions: 3 },
  });
  const [lifecycle, notifications, alerts] = await Promise.all([
    consumeTopic<Lifecycle>(topicName('channelLifecycle', topicPrefix), { brokers }),
    consumeTopic<Notification>(topicName('googleNotifications', topicPrefix), { brokers }),
    consumeTopic<Alert>(topicName('adminAlerts', topicPrefix), { brokers }),
  ]);
  return {
    lifecycle: lifecycle as TopicCollector<Lifecycle>,
    notifications: notifications as TopicCollector<Notification>,
    alerts: alerts as TopicCollector<Alert>,
    connection: (connectionId: string, payload: MessageOf<'connectionLifecycle'>['payload']) =>
      kafka.publisher.publish('connectionLifecycle', { orgId: 'org-1', connectionId, payload }),
    async close() {
      await Promise.all([lifecycle.stop(), notifications.stop(), alerts.stop()]);
      await kafka.close();
    },
  };
}

export const calendarRef = (calendarId: string, watchable = true) => ({
  calendarId,
  accessRole: 'owner' as const,
  primary: false,
  watchable,
});

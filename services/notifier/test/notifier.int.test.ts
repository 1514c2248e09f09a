import { randomBytes } from 'node:crypto';
import { testPublisher } from '@gcal-sync/contract-testkit';
import {
  type AdminAlertPayload,
  INCIDENTS_PATH,
  type IncidentList,
  type Publisher,
  parseKeyRing,
  SLACK_WEBHOOK_PATH,
  SLACK_WEBHOOK_TEST_PATH,
  type SlackWebhookTestResult,
  type SlackWebhookView,
} from '@gcal-sync/shared';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix, waitFor } from '@gcal-sync/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../src/config';
import { pruneAlertLog } from '../src/incidents/prune-alert-log';
import { start } from '../src/main';
import { startFakeSlack } from './fake-slack';

const TOKEN = 'admin-page-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const RATE_LIMIT = 5;

let db: TestDatabase;
let pool: pg.Pool;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let service: Awaited<ReturnType<typeof start>>;
let publisher: Publisher;
let env: Record<string, string> & { WEBHOOK_KEYS: string; WEBHOOK_ACTIVE_KEY_ID: string };

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  slack = await startFakeSlack();
  const brokers = await kafkaBrokers();
  const prefix = uniqueTopicPrefix();
  env = {
    PORT: '0',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'error',
    INTERNAL_API_TOKENS: `admin-page:${TOKEN}`,
    WEBHOOK_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    WEBHOOK_ACTIVE_KEY_ID: 'k1',
    SLACK_FALLBACK_WEBHOOK_URL: slack.url('fallback'),
    SLACK_WEBHOOK_HOSTS: '127.0.0.1',
    SLACK_ALLOW_HTTP: 'true',
    ADMIN_BASE_URL: 'https://admin.example.test',
    ORG_MESSAGES_PER_WINDOW: String(RATE_LIMIT),
    ORG_RATE_WINDOW_MS: '2000',
    DELIVERY_POLL_MS: '100',
    DELIVERY_RETRY_BASE_MS: '200',
    DELIVERY_RETRY_MAX_MS: '1000',
    DELIVERY_TIMEOUT_MS: '2000',
  };
  service = await start(loadServiceConfig(env));
  ({ publisher } = await testPublisher({
    brokers,
    topicPrefix: prefix,
    clientId: 'notifier-test',
    logLevel: 'error',
    publisher: { lingerMs: 5 },
  }));
});

afterAll(async () => {
  await service?.stop();
  await publisher?.close();
  await slack?.close();
  await pool?.end();
  await db?.drop();
});

const alert = (over: Partial<AdminAlertPayload> = {}): AdminAlertPayload => ({
  kind: 'connection.revoked',
  status: 'open',
  severity: 'critical',
  subject: 'connection:c-1',
  title: 'Google access revoked for ops@acme.test',
  detail: 'The refresh token was revoked.',
  accountEmail: 'ops@acme.test',
  since: '2026-06-12T10:00:00Z',
  ...over,
});

function publish(orgId: string, payload: AdminAlertPayload, messageId?: string) {
  return publisher.publish('adminAlerts', { orgId, connectionId: 'c-1', payload, ...(messageId ? { messageId } : {}) });
}

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const setWebhook = (orgId: string, url: string) => api<SlackWebhookView>('PUT', SLACK_WEBHOOK_PATH(orgId), { url });
const incidents = (orgId: string, status = 'all') =>
  api<IncidentList>('GET', `${INCIDENTS_PATH(orgId)}?status=${status}&limit=200`).then((r) => r.body);

async function pendingDeliveries(orgId: string): Promise<number> {
  const { rows } = await pool.query(
    "SELECT count(*)::int AS n FROM notifier_deliveries WHERE org_id = $1 AND status = 'pending'",
    [orgId],
  );
  return rows[0].n;
}

describe('webhook API', () => {
  it('serves health, readiness (Postgres, Kafka, consumer) and metrics', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const ready = await waitFor(async () => {
      const response = await fetch(`${service.url}/readyz`);
      return response.status === 200 && ((await response.json()) as { checks: Record<string, boolean> });
    });
    expect(ready.checks).toEqual({ postgres: true, kafka: true, consumer: true });
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('notifier_deliveries_pending');
  });

  it('requires a service credential and refuses URLs outside the allowed hosts, never echoing them', async () => {
    const anonymous = await fetch(`${service.url}${SLACK_WEBHOOK_PATH('org-x')}`);
    expect(anonymous.status).toBe(401);
    const bad = await setWebhook('org-x', 'https://evil.example/hook/secret-part');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toContain('secret-part');
  });

  it('stores the URL encrypted and shows only a masked hint', async () => {
    const saved = await setWebhook('org-api', slack.url('api-secret'));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ orgId: 'org-api', configured: true, status: 'active' });
    expect(saved.body.urlHint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook\/…$/);
    expect(JSON.stringify(saved.body)).not.toContain('api-secret');
    const { rows } = await pool.query("SELECT url_sealed FROM notifier_webhooks WHERE org_id = 'org-api'");
    expect(rows[0].url_sealed.includes(Buffer.from('api-secret'))).toBe(false);
    expect((await api('DELETE', SLACK_WEBHOOK_PATH('org-api'))).status).toBe(204);
    expect((await api<SlackWebhookView>('GET', SLACK_WEBHOOK_PATH('org-api'))).body.configured).toBe(false);
  });
});

describe('incidents', () => {
  it('open, repeats and resolve give exactly two Slack messages; a redelivered message is not counted', async () => {
    await setWebhook('org-a', slack.url('org-a'));
    const first = await publish('org-a', alert());
    for (let i = 0; i < 3; i++) await publish('org-a', alert({ detail: `still revoked (${i})` }));
    await publish('org-a', alert(), first.messageId); // Kafka redelivery of the first message
    await waitFor(async () => (await incidents('org-a', 'open')).incidents[0]?.occurrences === 4, {
      timeoutMs: 30_000,
    });
    await publish('org-a', alert({ status: 'resolved', severity: 'info', title: 'Google access restored' }));

    const [incident] = await waitFor(async () => {
      const list = (await incidents('org-a')).incidents;
      return list[0]?.notification.resolved === 'delivered' && list;
    });
    expect(incident).toMatchObject({
      status: 'resolved',
      kind: 'connection.revoked',
      subject: 'connection:c-1',
      occurrences: 4,
      accountEmail: 'ops@acme.test',
      notification: { opened: 'delivered', resolved: 'delivered' },
    });
    const messages = slack.messages('org-a');
    expect(messages).toHaveLength(2);
    expect(messages[0]?.body.text).toContain('[CRITICAL] Google access revoked for ops@acme.test');
    expect(JSON.stringify(messages[0]?.body.blocks)).toContain('Reconnect Google account');
    expect(messages[1]?.body.text).toContain('Resolved');
    expect(JSON.stringify(messages[1]?.body.blocks)).toContain('reported 4 times');
    expect((await api<SlackWebhookView>('GET', SLACK_WEBHOOK_PATH('org-a'))).body.lastDeliveredAt).not.toBeNull();
  });

  it('turns a storm of 1,000 alerts into a bounded number of messages that still account for every alert', async () => {
    await setWebhook('org-storm', slack.url('org-storm'));
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        publish(
          'org-storm',
          alert({ kind: 'sync.paused', severity: 'warning', subject: `calendar:${i}`, title: `Sync paused ${i}` }),
        ),
      ),
    );
    await waitFor(
      async () => {
        const { rows } = await pool.query(
          "SELECT count(*)::int AS n FROM notifier_incidents WHERE org_id = 'org-storm'",
        );
        return rows[0].n === 1000 && (await pendingDeliveries('org-storm')) === 0;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    const messages = slack.messages('org-storm');
    const covered = messages.map((m) => /\((\d+) opened/.exec(m.body.text)?.[1]);
    const individual = covered.filter((n) => n === undefined).length;
    const summarized = covered.reduce((n, c) => n + Number(c ?? 0), 0);
    expect(individual).toBeLessThanOrEqual(RATE_LIMIT);
    expect(individual + summarized).toBe(1000);
    expect(messages.length).toBeLessThanOrEqual(20);
    const listed = await incidents('org-storm', 'open');
    expect(listed.incidents).toHaveLength(200);
    expect(listed.nextBefore).not.toBeNull();
    expect(listed.incidents.every((i) => ['delivered', 'summarized'].includes(i.notification.opened))).toBe(true);
  });
});

describe('delivery', () => {
  it('keeps retrying while Slack is down or rate-limiting, across a restart, and delivers once it is back', async () => {
    await setWebhook('org-down', slack.url('org-down'));
    slack.set('org-down', { mode: 'down', status: 503 });
    await publish('org-down', alert({ subject: 'connection:down' }));
    await waitFor(() => slack.attempts('org-down').length >= 2, { timeoutMs: 30_000 });
    slack.set('org-down', { mode: 'rate_limited', retryAfterSeconds: 1 });
    await waitFor(() => slack.attempts('org-down').some((a) => a.status === 429), { timeoutMs: 10_000 });
    expect((await incidents('org-down')).incidents[0]?.notification.opened).toBe('pending');

    // The alert is committed in Postgres (and its Kafka offset with it): a restart loses nothing.
    // The restart also rotates the webhook key: stored URLs are re-sealed with the new active key.
    await service.stop();
    slack.set('org-down', { mode: 'ok' });
    env.WEBHOOK_KEYS = `${env.WEBHOOK_KEYS},k2:${randomBytes(32).toString('base64')}`;
    env.WEBHOOK_ACTIVE_KEY_ID = 'k2';
    service = await start(loadServiceConfig(env));
    const ring = parseKeyRing(env.WEBHOOK_KEYS, 'k2');
    const { rows } = await pool.query('SELECT url_sealed FROM notifier_webhooks');
    expect(rows.map((r) => ring.keyIdOf(r.url_sealed))).toEqual(rows.map(() => 'k2'));
    await waitFor(() => slack.messages('org-down').length === 1, { timeoutMs: 30_000 });
    expect((await incidents('org-down')).incidents[0]?.notification.opened).toBe('delivered');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/slack_deliveries_total\{[^}]*outcome="delivered"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/notifier_incidents_open\{[^}]*\} \d+/);
  });

  it('sends what piled up while Slack was unreachable as one catch-up summary', async () => {
    await setWebhook('org-backlog', slack.url('org-backlog'));
    slack.set('org-backlog', { mode: 'down', status: 500 });
    for (let i = 0; i < 8; i++) {
      await publish('org-backlog', alert({ subject: `connection:k${i}`, title: `Backlog ${i}` }));
    }
    // Everything queued and due (the storm summary's window over) while the head keeps failing.
    await waitFor(
      async () => {
        const { rows } = await pool.query(
          `SELECT count(*) FILTER (WHERE next_attempt_at > now() AND attempts = 0)::int AS later,
             max(attempts)::int AS tried
           FROM notifier_deliveries WHERE org_id = 'org-backlog' AND status = 'pending'`,
        );
        const opened = (await incidents('org-backlog')).incidents.length;
        return opened === 8 && rows[0].later === 0 && rows[0].tried >= 1;
      },
      { timeoutMs: 30_000 },
    );
    slack.set('org-backlog', { mode: 'ok' });
    await waitFor(async () => (await pendingDeliveries('org-backlog')) === 0, { timeoutMs: 30_000 });
    const messages = slack.messages('org-backlog');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.body.text).toContain(
      '8 alert updates for org org-backlog while Slack was unreachable (8 opened',
    );
    const states = (await incidents('org-backlog')).incidents.map((i) => i.notification.opened);
    expect(states).toEqual(Array(8).fill('summarized'));
  });

  it("marks a gone webhook broken for its org only, and sends that org's alerts to the fallback", async () => {
    await setWebhook('org-broken', slack.url('org-broken'));
    await setWebhook('org-fine', slack.url('org-fine'));
    slack.set('org-broken', { mode: 'gone', status: 404, error: 'no_service' });
    await publish('org-broken', alert({ subject: 'connection:b1', title: 'Broken org alert 1' }));
    await publish('org-fine', alert({ subject: 'connection:f1', title: 'Fine org alert' }));
    await publish('org-broken', alert({ subject: 'connection:b2', title: 'Broken org alert 2' }));

    await waitFor(() => slack.messages('org-fine').length === 1, { timeoutMs: 30_000 });
    const toFallback = await waitFor(() => {
      const m = slack.messages('fallback').filter((x) => x.body.text.includes('Broken org alert'));
      return m.length === 2 && m;
    });
    expect(JSON.stringify(toFallback[0]?.body.blocks)).toContain('is broken');
    expect(slack.attempts('org-broken')).toHaveLength(1); // not hammered once known broken
    const view = (await api<SlackWebhookView>('GET', SLACK_WEBHOOK_PATH('org-broken'))).body;
    expect(view).toMatchObject({ status: 'broken', brokenReason: 'no_service' });
    expect((await api<SlackWebhookView>('GET', SLACK_WEBHOOK_PATH('org-fine'))).body.status).toBe('active');

    // The admin tests the webhook: still gone, then fixed (e.g. channel unarchived) → active and used again.
    const stillGone = await api<SlackWebhookTestResult>('POST', SLACK_WEBHOOK_TEST_PATH('org-broken'));
    expect(stillGone.body).toMatchObject({ delivered: false, outcome: 'broken', reason: 'no_service' });
    slack.set('org-broken', { mode: 'ok' });
    const fixed = await api<SlackWebhookTestResult>('POST', SLACK_WEBHOOK_TEST_PATH('org-broken'));
    expect(fixed.body).toMatchObject({ delivered: true, outcome: 'delivered', webhook: { status: 'active' } });
    await publish('org-broken', alert({ subject: 'connection:b3', title: 'Broken org alert 3' }));
    await waitFor(() => slack.messages('org-broken').some((m) => m.body.text.includes('Broken org alert 3')), {
      timeoutMs: 30_000,
    });
    expect((await api('POST', SLACK_WEBHOOK_TEST_PATH('org-nothing'))).status).toBe(404);
  });

  it('sends alerts of an org without a webhook to the fallback, saying why', async () => {
    await publish('org-none', alert({ subject: 'connection:n1', title: 'No webhook org alert' }));
    const message = await waitFor(
      () => slack.messages('fallback').find((m) => m.body.text.includes('No webhook org alert')),
      {
        timeoutMs: 30_000,
      },
    );
    expect(JSON.stringify(message.body.blocks)).toContain('has no Slack webhook configured');
  });
  it('pauses every lane on the shared fallback webhook when Slack rate-limits it', async () => {
    const before = slack.attempts('fallback').length;
    slack.set('fallback', { mode: 'rate_limited', retryAfterSeconds: 2 });
    const orgs = ['org-f1', 'org-f2', 'org-f3', 'org-f4', 'org-f5', 'org-f6'];
    for (const org of orgs) await publish(org, alert({ subject: `connection:${org}`, title: `Fallback ${org}` }));
    await waitFor(
      () =>
        slack
          .attempts('fallback')
          .slice(before)
          .some((a) => a.status === 429),
      { timeoutMs: 30_000 },
    );
    slack.set('fallback', { mode: 'ok' });
    await waitFor(
      () => orgs.every((org) => slack.messages('fallback').some((m) => m.body.text.includes(`Fallback ${org}`))),
      { timeoutMs: 30_000 },
    );
    // Only the posts already in flight when the first 429 came back were refused; the rest waited.
    const refused = slack
      .attempts('fallback')
      .slice(before)
      .filter((a) => a.status === 429).length;
    expect(refused).toBeLessThanOrEqual(4);
  });
});

describe('alert log retention', () => {
  it('deletes resolved incidents and their finished messages past the retention, keeps open ones', async () => {
    const count = async (sql: string) => (await pool.query(sql)).rows[0].n as number;
    const open = await count("SELECT count(*)::int AS n FROM notifier_incidents WHERE status = 'open'");
    expect(await count("SELECT count(*)::int AS n FROM notifier_incidents WHERE status = 'resolved'")).toBeGreaterThan(
      0,
    );
    const tomorrow = new Date(Date.now() + 86_400_000);
    let pruned = { incidents: 0, deliveries: 0 };
    do pruned = await pruneAlertLog(pool, tomorrow, 100);
    while (pruned.incidents + pruned.deliveries > 0);
    expect(await count("SELECT count(*)::int AS n FROM notifier_incidents WHERE status = 'resolved'")).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM notifier_incidents WHERE status = 'open'")).toBe(open);
    // What remains is what an open incident still points at, or not yet finished.
    expect(
      await count(`SELECT count(*)::int AS n FROM notifier_deliveries d WHERE d.status <> 'pending'
        AND NOT EXISTS (SELECT 1 FROM notifier_incidents i WHERE i.opened_delivery_id = d.id)`),
    ).toBe(0);
  });
});

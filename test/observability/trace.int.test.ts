import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver';
import { type Scenario, startScenario } from './scenario';
import { REPO_ROOT, type Stack, startStack } from './stack';

/**
 * One trace from Google's push to the app: the stack runs as separate processes exporting OTLP to
 * a receiver in this test; an edit made in the (emulated) Google Calendar must produce one trace
 * that starts at webhook-ingest's HTTP server span and reaches the booking app's consumer, across
 * at least four services, every span's parent present in the trace.
 */
const SPAN_KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

let db: TestDatabase;
let receiver: OtlpReceiver;
let scenario: Scenario;
let stack: Stack;
let app: ChildProcess;
let appOutput = '';
let trace: ReceivedSpan[] = [];
let summary = '';
let connectionId = '';

/** The URL of an HTTP client span (old or new semantic conventions). */
function urlOf(s: ReceivedSpan): string {
  const url = s.attributes['url.full'] ?? s.attributes['http.url'];
  return s.kind === 3 && typeof url === 'string' ? url : '';
}

function describeTrace(spans: ReceivedSpan[]): string {
  const byParent = new Map<string, ReceivedSpan[]>();
  for (const s of spans) byParent.set(s.parentSpanId, [...(byParent.get(s.parentSpanId) ?? []), s]);
  const ids = new Set(spans.map((s) => s.spanId));
  const lines: string[] = [];
  const walk = (s: ReceivedSpan, depth: number) => {
    const target = urlOf(s) ? ` ${new URL(urlOf(s)).pathname}` : '';
    const name = s.name.replace(/\s+/g, ' ');
    lines.push(`${'  '.repeat(depth)}${s.service}: ${name}${target} (${SPAN_KIND[s.kind] ?? s.kind})`);
    for (const c of (byParent.get(s.spanId) ?? []).sort((a, b) => (a.startNs < b.startNs ? -1 : 1))) walk(c, depth + 1);
  };
  for (const root of spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId))) walk(root, 0);
  return lines.join('\n');
}

beforeAll(async () => {
  // booking-app.cjs runs on the shared kit's built dist; say so plainly if it is missing.
  expect(require.resolve('@gcal-sync/shared/telemetry'), 'build @gcal-sync/shared first').toContain('dist');
  db = await createTestDatabase();
  receiver = await startOtlpReceiver();
  scenario = await startScenario();
  const brokers = await kafkaBrokers();
  const topicPrefix = uniqueTopicPrefix();
  stack = await startStack({
    databaseUrl: db.url,
    kafkaBrokers: brokers,
    topicPrefix,
    googleOrigin: scenario.emulator.url,
    otlpEndpoint: receiver.url,
  });
  app = spawn(process.execPath, [join(__dirname, 'booking-app.cjs')], {
    cwd: join(REPO_ROOT, 'test'),
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout?.on('data', (b: Buffer) => {
    appOutput += b.toString();
  });
  app.stderr?.on('data', (b: Buffer) => {
    appOutput += b.toString();
  });
  connectionId = await scenario.connect(stack);
  await scenario.waitForChannel();
  // Let the first full sync settle, so the edit below is an incremental sync of its own.
  await new Promise((r) => setTimeout(r, 3_000));
  // The cached access token has expired by the time of the edit: the sync fetches a fresh one from oauth.
  await scenario.emulator.control.advanceClock(2 * 3_600_000);
  const eventId = await scenario.editInGoogle('Traced edit');

  // Wait for the app to receive the change and for the services' batched spans to arrive.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const arrived = appOutput.includes(eventId);
    const candidates = new Map<string, ReceivedSpan[]>();
    for (const s of receiver.spans) candidates.set(s.traceId, [...(candidates.get(s.traceId) ?? []), s]);
    const pushTraces = [...candidates.values()].filter((spans) =>
      spans.some((s) => s.service === 'webhook-ingest' && s.kind === 2),
    );
    const best = pushTraces.sort(
      (a, b) => new Set(b.map((s) => s.service)).size - new Set(a.map((s) => s.service)).size,
    )[0];
    if (best) trace = best;
    if (arrived && best?.some((s) => s.service === 'booking-app')) {
      await new Promise((r) => setTimeout(r, 6_000)); // the services' batch processors flush every 5 s
      trace = receiver.spans.filter((s) => s.traceId === best[0]?.traceId);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  summary = describeTrace(trace);
  console.info(
    `[observability] trace ${trace[0]?.traceId ?? '(none)'}: ${trace.length} spans, services ${[...new Set(trace.map((s) => s.service))].join(', ')}\n${summary}`,
  );
}, 240_000);

afterAll(async () => {
  app?.kill('SIGTERM');
  await stack?.stop();
  await scenario?.stop();
  await receiver?.stop();
  await db?.drop();
});

describe('one trace from a Google push to the app', () => {
  it('the services export OTLP/HTTP JSON the receiver understands', () => {
    expect(receiver.rejected).toEqual([]);
    expect(receiver.spans.length).toBeGreaterThan(0);
  });

  it('the booking app received the edit', () => {
    expect(appOutput).toContain('Traced edit');
  });

  it('starts at the webhook-ingest HTTP server span and has no orphan span', () => {
    const ids = new Set(trace.map((s) => s.spanId));
    const roots = trace.filter((s) => !s.parentSpanId);
    expect(roots.map((r) => `${r.service}: ${r.name}`)).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'webhook-ingest', kind: 2 });
    const orphans = trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
    expect(
      orphans.map((s) => `${s.service}: ${s.name}`),
      summary,
    ).toEqual([]);
  });

  it('follows push → publish → sync-core → publish change → app consumer, each hop a parent link', () => {
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const consumerOf = (service: string, topic: string) =>
      trace.find(
        (s) =>
          s.service === service && s.kind === 5 && String(s.attributes['messaging.destination.name']).endsWith(topic),
      );
    const notification = consumerOf('sync-core', 'google.notifications');
    const change = consumerOf('booking-app', 'calendar.event-changes');
    expect(notification, summary).toBeDefined();
    expect(change, summary).toBeDefined();
    const notifParent = byId.get(notification?.parentSpanId ?? '');
    expect(notifParent, summary).toMatchObject({ service: 'webhook-ingest', kind: 4 });
    const changeParent = byId.get(change?.parentSpanId ?? '');
    expect(changeParent, summary).toMatchObject({ service: 'sync-core', kind: 4 });
    // The change's producer descends from the notification's consumer span.
    let s = changeParent;
    while (s && s.spanId !== notification?.spanId) s = byId.get(s.parentSpanId);
    expect(s?.spanId, summary).toBe(notification?.spanId);
  });

  it('includes the Google events.list call made for the notification, under the sync-core consumer span', () => {
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const list = trace.find(
      (s) => s.service === 'sync-core' && /\/calendar\/v3\/calendars\/[^/]+\/events(\?|$)/.test(urlOf(s)),
    );
    expect(list, summary).toBeDefined();
    let s = list;
    while (s && !(s.kind === 5 && s.service === 'sync-core')) s = byId.get(s.parentSpanId);
    expect(String(s?.attributes['messaging.destination.name']), summary).toMatch(/google\.notifications$/);
  });

  it('follows a booking API write into the Google write it makes (outbound)', async () => {
    // The booking app calls with its own trace context, as an instrumented client would.
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const outcome = await scenario.bookThroughApi(stack, connectionId, { traceparent: `00-${traceId}-${parentId}-01` });
    expect(outcome).toBe('200');
    let spans: ReceivedSpan[] = [];
    const isWrite = (s: ReceivedSpan) =>
      s.service === 'sync-core' && /\/calendar\/v3\/calendars\/[^/]+\/events(\?|$)/.test(urlOf(s));
    for (let i = 0; i < 40 && !spans.some(isWrite); i++) {
      await new Promise((r) => setTimeout(r, 500));
      spans = receiver.spans.filter((s) => s.traceId === traceId);
    }
    const outbound = describeTrace(spans);
    console.info(`[observability] outbound trace ${traceId}:\n${outbound}`);
    const server = spans.find((s) => s.service === 'sync-core' && s.kind === 2 && s.parentSpanId === parentId);
    expect(server, outbound).toBeDefined();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    let s = spans.find(isWrite);
    expect(s, outbound).toBeDefined();
    while (s && s.spanId !== server?.spanId) s = byId.get(s.parentSpanId);
    expect(s?.spanId, outbound).toBe(server?.spanId);
  });

  it('spans at least four services', () => {
    const services = [...new Set(trace.map((s) => s.service))];
    expect(services.length, `${services.join(', ')}\n${summary}`).toBeGreaterThanOrEqual(4);
  });
});

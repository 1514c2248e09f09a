import { waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGoogleAccount, type InboundStack, startInboundStack, startSyncCore } from './inbound-harness';

const BASE_MS = 200;
const MAX_MS = 3_000;
const LIST = 'calendar.events.list';

/**
 * Google errors against the emulator: backoff with full jitter observed on the emulator's clock,
 * pause after 5 failures with one alert, recovery; Calendar usage limit; permanent errors.
 */
describe('sync-core inbound: Google errors', () => {
  let stack: InboundStack;
  let service: { url: string; stop(): Promise<void> };
  let eventId = '';
  let version = 1;
  const until = (fn: () => unknown, timeoutMs = 30_000) => waitFor(fn, { timeoutMs, intervalMs: 20 });
  const alerts = () => stack.alerts.messages.map((m) => m.value.payload);

  /** An edit in Google, then a notification; resolves with the change event once it arrives. */
  async function editAndNotify(summary: string) {
    await stack.control.editEvent(stack.calendarId, eventId, { summary });
    await stack.notify();
    version += 1;
    return version;
  }
  const changeArrived = (v: number) =>
    stack.changes.waitForMessage((m) => m.value.payload.eventId === eventId && m.value.payload.version === v, 30_000);

  beforeAll(async () => {
    stack = await startInboundStack();
    eventId = (
      await stack.control.createEvent(stack.calendarId, {
        summary: 'Standup',
        start: { dateTime: '2026-06-12T09:00:00-07:00', timeZone: 'America/Los_Angeles' },
        end: { dateTime: '2026-06-12T09:15:00-07:00', timeZone: 'America/Los_Angeles' },
      })
    ).id;
    service = await startSyncCore(
      stack.env({
        SYNC_BACKOFF_BASE_MS: String(BASE_MS),
        SYNC_BACKOFF_MAX_MS: String(MAX_MS),
        SYNC_QUOTA_PAUSE_MS: '1500',
        // The failures here are on purpose.
        LOG_LEVEL: 'error',
      }),
    );
    await stack.producer.lifecycle(stack.orgId, stack.connectionId, {
      type: 'connected',
      googleSubject: 'sub-1',
      email: stack.account.email,
      calendars: [],
    });
    await stack.select();
    await changeArrived(1);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.stop();
  });

  it('429 storm: exponential backoff with full jitter, paused after 5 failures, one alert, recovery', async () => {
    await stack.control.resetCounters();
    await stack.control.injectFault({ method: LIST, status: 429, reason: 'rateLimitExceeded', times: 7 });
    const v = await editAndNotify('During the storm');

    // Record the emulator clock each time another events.list call has been answered.
    const seen: number[] = [];
    await until(async () => {
      const calls = await stack.control.calls(LIST);
      while (seen.length < calls) seen.push((await stack.control.now()).ms);
      return calls >= 8;
    }, 40_000);
    await changeArrived(v);

    const gaps = seen.slice(1, 8).map((t, i) => t - (seen[i] as number));
    // Attempt n waits a random time in [0, min(max, base·2^(n-1))]: never more than the ceiling
    // (plus the time to notice the call here and to run the retry on a busy machine).
    gaps.forEach((gap, i) => {
      expect(gap, `gap after failure ${i + 1}: ${gaps.join(', ')}`).toBeLessThanOrEqual(
        Math.min(MAX_MS, BASE_MS * 2 ** i) + 800,
      );
    });

    await until(async () => (await stack.syncState())?.state === 'ok');
    const paused = alerts().filter((a) => a.kind === 'sync.paused');
    await until(() => alerts().filter((a) => a.kind === 'sync.paused').length >= 2);
    expect(
      alerts()
        .filter((a) => a.kind === 'sync.paused')
        .map((a) => a.status),
    ).toEqual(['open', 'resolved']);
    expect(paused[0]).toMatchObject({
      subject: `calendar:${stack.connectionId}/${stack.calendarId}`,
      calendarId: stack.calendarId,
      accountEmail: stack.account.email,
    });
    expect(await stack.syncState()).toMatchObject({ failures: 0, pending: false });
  });

  it('the state is paused from the 5th consecutive failure, visible in Postgres and metrics', async () => {
    await stack.control.injectFault({ method: LIST, status: 503, times: 1_000 });
    await editAndNotify('Outage');
    await until(async () => (await stack.syncState())?.state === 'paused', 40_000);
    expect((await stack.syncState())?.failures).toBe(5);
    await until(async () =>
      /sync_calendars\{[^}]*state="paused"[^}]*\} 1/.test(await (await fetch(`${service.url}/metrics`)).text()),
    );
    await stack.control.clearFaults();
    await changeArrived(version);
    await until(async () => (await stack.syncState())?.state === 'ok');
    expect(
      alerts()
        .filter((a) => a.kind === 'sync.paused')
        .map((a) => a.status),
    ).toEqual(['open', 'resolved', 'open', 'resolved']);
  });

  it('403 quotaExceeded pauses the account for the configured time with one alert, then resumes', async () => {
    await stack.control.resetCounters();
    await stack.control.injectFault({ method: LIST, status: 403, reason: 'quotaExceeded', times: 1 });
    const v = await editAndNotify('Over the usage limit');
    await until(async () => (await stack.syncState())?.state === 'quota_paused');
    // Further notifications do not hit Google while paused.
    await stack.notify();
    await stack.notify();
    await new Promise((r) => setTimeout(r, 500));
    expect(await stack.control.calls(LIST)).toBe(1);
    await changeArrived(v);
    await until(() => alerts().filter((a) => a.kind === 'sync.quota-exceeded').length >= 2);
    expect(
      alerts()
        .filter((a) => a.kind === 'sync.quota-exceeded')
        .map((a) => [a.status, a.subject]),
    ).toEqual([
      ['open', `connection:${stack.connectionId}`],
      ['resolved', `connection:${stack.connectionId}`],
    ]);
  });

  it('a permanent error (404) is reported at once and retried only slowly', async () => {
    await stack.control.injectFault({ method: LIST, status: 404, reason: 'notFound', times: 1 });
    const v = await editAndNotify('After a 404');
    await until(() => alerts().some((a) => a.kind === 'sync.permanent-error' && a.status === 'open'));
    expect(await stack.syncState()).toMatchObject({ state: 'paused', failures: 1 });
    // Retried after the maximum backoff, then recovered.
    await changeArrived(v);
    await until(() => alerts().some((a) => a.kind === 'sync.permanent-error' && a.status === 'resolved'));
  });

  it("google_api_calls_total names the HTTP status and Google's reason of the errors above", async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const series = (status: string, reason: string) =>
      new RegExp(
        `google_api_calls_total\\{[^}]*method="events.list"[^}]*status="${status}",reason="${reason}"[^}]*\\} [1-9]`,
      );
    expect(text).toMatch(series('429', 'rateLimitExceeded'));
    expect(text).toMatch(series('403', 'quotaExceeded'));
    expect(text).toMatch(series('404', 'notFound'));
    expect(text).toMatch(series('503', 'backendError'));
    expect(text).toMatch(/google_api_calls_total\{[^}]*outcome="ok",status="200",reason="none"/);
  });

  it('401 from Google (expired access token): one refresh through the oauth API, then the retry succeeds', async () => {
    const grants = stack.tokens.grants();
    // Two hours later on Google's clock: the cached access token has expired there.
    await stack.control.advanceClock(2 * 3_600_000);
    const v = await editAndNotify('After the token expired');
    await changeArrived(v);
    expect(stack.tokens.grants()).toBe(grants + 1);
    expect(await stack.syncState()).toMatchObject({ state: 'ok', failures: 0 });
  });

  it('grant revoked at Google: the oauth API answers connection_revoked, syncing pauses; a new grant resumes it', async () => {
    await stack.control.revokeGrant(stack.account.email);
    const v = await editAndNotify('After revocation');
    await until(async () => (await stack.syncState())?.state === 'revoked');
    expect(await stack.syncState()).toMatchObject({ hasToken: true, pending: true });
    // The user reconnects: a new refresh token, and oauth announces the reauthorization.
    const again = await connectGoogleAccount(stack.emulator.url, stack.account.email);
    stack.tokens.register(stack.connectionId, again.refreshToken, stack.account.email);
    await stack.producer.lifecycle(stack.orgId, stack.connectionId, {
      type: 'reauthorized',
      googleSubject: 'sub',
      email: stack.account.email,
    });
    await changeArrived(v);
    await until(async () => (await stack.syncState())?.state === 'ok');
  });
});

import type { calendar_v3 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { authorise, calendarApi, expectApiError, start } from './harness';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(async () => {
  await emu.stop();
});

async function client(email: string, clientId?: string): Promise<calendar_v3.Calendar> {
  const { client } = await authorise(emu.url, email, undefined, clientId ? { clientId } : {});
  return calendarApi(emu.url, client);
}

const ev: calendar_v3.Schema$Event = {
  start: { dateTime: '2030-07-01T10:00:00Z' },
  end: { dateTime: '2030-07-01T11:00:00Z' },
};

describe('quotas, faults and counters', () => {
  it('Google defaults: 10,000/min per project and 600/min per user', async () => {
    const q = await emu.control.setQuota({});
    expect(q).toMatchObject({ perProjectPerMinute: 10_000, perUserPerMinute: 600 });
  });

  it('per-user per-minute sliding window: 403 userRateLimitExceeded (usageLimits), recovers as the window slides', async () => {
    await emu.control.setQuota({ perUserPerMinute: 3, perProjectPerMinute: 1000, rateLimitStatus: 403 });
    const cal = await client('rl-user@example.com', 'rl-client-1');
    for (let i = 0; i < 3; i += 1) await cal.calendarList.list();
    const err = await expectApiError(cal.calendarList.list({}, { retry: false }));
    expect(err.status).toBe(403);
    expect(err.error).toMatchObject({ code: 403, message: 'User Rate Limit Exceeded', status: 'PERMISSION_DENIED' });
    expect(err.error.errors[0]).toEqual({
      domain: 'usageLimits',
      reason: 'userRateLimitExceeded',
      message: 'User Rate Limit Exceeded',
    });
    const other = await client('rl-other@example.com', 'rl-client-1');
    await other.calendarList.list();
    await emu.control.advanceClock(61_000);
    await cal.calendarList.list();
  });

  it('per-project per-minute window: 403 rateLimitExceeded', async () => {
    await emu.control.setQuota({ perUserPerMinute: 600, perProjectPerMinute: 2, rateLimitStatus: 403 });
    const a = await client('proj-a@example.com', 'rl-client-2');
    const b = await client('proj-b@example.com', 'rl-client-2');
    await a.calendarList.list();
    await b.calendarList.list();
    const err = await expectApiError(a.calendarList.list({}, { retry: false }));
    expect(err.status).toBe(403);
    expect(err.error.errors[0]).toEqual({
      domain: 'usageLimits',
      reason: 'rateLimitExceeded',
      message: 'Rate Limit Exceeded',
    });
    await emu.control.advanceClock(61_000);
  });

  it('429 style: rateLimitExceeded with domain usageLimits', async () => {
    await emu.control.setQuota({ perUserPerMinute: 1, perProjectPerMinute: 1000, rateLimitStatus: 429 });
    const cal = await client('rl429@example.com', 'rl-client-3');
    await cal.calendarList.list();
    const err = await expectApiError(cal.calendarList.list({}, { retry: false }));
    expect(err.status).toBe(429);
    expect(err.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(err.error.errors[0]).toMatchObject({ domain: 'usageLimits', reason: 'rateLimitExceeded' });
    await emu.control.setQuota({ perUserPerMinute: 600, perProjectPerMinute: 10_000, rateLimitStatus: 403 });
    await emu.control.advanceClock(61_000);
  });

  it('Calendar usage limits: 403 quotaExceeded and the calendar stays read-only for a set time', async () => {
    await emu.control.setQuota({ eventsCreatedPerWindow: 2, usageWindowMs: 3_600_000, readOnlyMs: 600_000 });
    const cal = await client('usage@example.com');
    await cal.events.insert({ calendarId: 'primary', requestBody: ev });
    const second = (await cal.events.insert({ calendarId: 'primary', requestBody: ev })).data;
    const err = await expectApiError(cal.events.insert({ calendarId: 'primary', requestBody: ev }, { retry: false }));
    expect(err.status).toBe(403);
    expect(err.error.errors[0]).toEqual({
      domain: 'usageLimits',
      reason: 'quotaExceeded',
      message: 'Calendar usage limits exceeded.',
    });
    const patch = await expectApiError(
      cal.events.patch({ calendarId: 'primary', eventId: second.id!, requestBody: { summary: 'x' } }, { retry: false }),
    );
    expect(patch.error.errors[0]?.reason).toBe('quotaExceeded');
    expect((await cal.events.list({ calendarId: 'primary' })).data.items?.length).toBe(2);
    await emu.control.advanceClock(610_000);
    await cal.events.patch({ calendarId: 'primary', eventId: second.id!, requestBody: { summary: 'writable again' } });
    await emu.control.setQuota({ eventsCreatedPerWindow: 0 });
  });

  it('injected faults: error status with Google body for the next N calls, then latency', async () => {
    const cal = await client('faults@example.com');
    await emu.control.injectFault({ method: 'calendar.events.list', status: 503, times: 2 });
    const e1 = await expectApiError(cal.events.list({ calendarId: 'primary' }, { retry: false }));
    expect(e1.status).toBe(503);
    expect(e1.error.errors[0]).toMatchObject({ domain: 'global', reason: 'backendError' });
    await expectApiError(cal.events.list({ calendarId: 'primary' }, { retry: false }));
    expect((await cal.events.list({ calendarId: 'primary' })).status).toBe(200);
    await emu.control.injectFault({
      method: 'calendar.events.get',
      status: 403,
      reason: 'rateLimitExceeded',
      message: 'Rate Limit Exceeded',
      times: 1,
    });
    const e2 = await expectApiError(
      cal.events.get({ calendarId: 'primary', eventId: 'abcdef12345' }, { retry: false }),
    );
    expect(e2.error.errors[0]).toMatchObject({ domain: 'usageLimits', reason: 'rateLimitExceeded' });
    await emu.control.injectFault({ method: 'calendar.calendarList.list', latencyMs: 120, times: 1 });
    const t0 = Date.now();
    await cal.calendarList.list();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    await emu.control.injectFault({ method: 'oauth.token', status: 500, times: 10 });
    const tokenErr = await authorise(emu.url, 'faults@example.com').catch((e: unknown) => e);
    expect((tokenErr as { response?: { status?: number } }).response?.status).toBe(500);
    await emu.control.clearFaults();
  });

  it('counters: calls per method per user', async () => {
    await emu.control.resetCounters();
    const cal = await client('count@example.com');
    await cal.events.list({ calendarId: 'primary' });
    await cal.events.list({ calendarId: 'primary' });
    await cal.calendarList.list();
    const c = await emu.control.counters();
    expect(c['calendar.events.list']).toEqual({ 'count@example.com': 2 });
    expect(c['calendar.calendarList.list']).toEqual({ 'count@example.com': 1 });
    expect(c['oauth.token']).toEqual({ 'count@example.com': 1 });
    expect(await emu.control.calls('calendar.events.list')).toBe(2);
  });
});

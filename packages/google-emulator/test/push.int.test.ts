import type { calendar_v3 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index';
import { authorise, calendarApi, expectApiError, receiver, start, waitFor } from './harness';

let emu: RunningEmulator;
let cal: calendar_v3.Calendar;
let n = 0;
const ev = (summary = 'x'): calendar_v3.Schema$Event => ({
  summary,
  start: { dateTime: '2030-06-01T10:00:00Z' },
  end: { dateTime: '2030-06-01T11:00:00Z' },
});
const chanId = () => `chan-${++n}-${Date.now()}`;

beforeAll(async () => {
  emu = await start();
  const { client } = await authorise(emu.url, 'push@example.com');
  cal = calendarApi(emu.url, client);
});
afterAll(async () => {
  await emu.stop();
});

describe('push notifications', () => {
  it('events.watch returns Google channel fields; a sync message then exists messages with X-Goog-* headers and empty bodies', async () => {
    const hook = await receiver();
    try {
      const id = chanId();
      const ch: calendar_v3.Schema$Channel = (
        await cal.events.watch({
          calendarId: 'primary',
          requestBody: { id, type: 'web_hook', address: hook.address, token: 'tok=1' },
        })
      ).data;
      expect(ch).toMatchObject({ kind: 'api#channel', id, token: 'tok=1' });
      expect(ch.resourceId).toBeTruthy();
      expect(ch.resourceUri).toContain('/calendar/v3/calendars/push%40example.com/events');
      expect(typeof ch.expiration).toBe('string');
      const now = Date.parse((await emu.control.now()).now);
      expect(Number(ch.expiration) - now).toBeGreaterThan(604_790_000);
      expect(Number(ch.expiration) - now).toBeLessThanOrEqual(604_800_000);
      await waitFor(() => hook.received.length === 1);
      const sync = hook.received[0]!.headers;
      expect(sync['x-goog-resource-state']).toBe('sync');
      expect(sync['x-goog-message-number']).toBe('1');
      const created = (await cal.events.insert({ calendarId: 'primary', requestBody: ev() })).data;
      await emu.control.editEvent('push@example.com', created.id!, { summary: 'y' });
      await cal.events.delete({ calendarId: 'primary', eventId: created.id! });
      await waitFor(() => hook.received.length === 4);
      const msgs = hook.received.slice(1);
      const numbers = msgs.map((m) => Number(m.headers['x-goog-message-number']));
      expect(numbers.every((x, i) => i === 0 || x > numbers[i - 1]!)).toBe(true);
      for (const m of msgs) {
        expect(m.body).toBe('');
        expect(m.headers).toMatchObject({
          'user-agent': expect.stringContaining('APIs-Google'),
          'x-goog-channel-id': id,
          'x-goog-channel-token': 'tok=1',
          'x-goog-channel-expiration': new Date(Number(ch.expiration)).toUTCString(),
          'x-goog-resource-id': ch.resourceId,
          'x-goog-resource-uri': ch.resourceUri,
          'x-goog-resource-state': 'exists',
        });
      }
    } finally {
      await hook.close();
    }
  });

  it('X-Goog-Channel-Token only when a token was set; params.ttl honoured', async () => {
    const hook = await receiver();
    try {
      const ch = (
        await cal.events.watch({
          calendarId: 'primary',
          requestBody: { id: chanId(), type: 'web_hook', address: hook.address, params: { ttl: '3600' } },
        })
      ).data;
      const now = Date.parse((await emu.control.now()).now);
      expect(Number(ch.expiration) - now).toBeLessThanOrEqual(3_600_000);
      expect(Number(ch.expiration) - now).toBeGreaterThan(3_590_000);
      expect(ch.token).toBeUndefined();
      await waitFor(() => hook.received.length === 1);
      expect(hook.received[0]!.headers['x-goog-channel-token']).toBeUndefined();
    } finally {
      await hook.close();
    }
  });

  it('calendarList.watch notifies on calendar list changes', async () => {
    const hook = await receiver();
    try {
      await cal.calendarList.watch({ requestBody: { id: chanId(), type: 'web_hook', address: hook.address } });
      await cal.calendars.insert({ requestBody: { summary: 'new one' } });
      await waitFor(() => hook.received.length === 2);
      expect(hook.received[1]!.headers['x-goog-resource-state']).toBe('exists');
      expect(hook.received[1]!.headers['x-goog-resource-uri']).toContain('/calendar/v3/users/me/calendarList');
    } finally {
      await hook.close();
    }
  });

  it('only 500/502/503/504 are retried with backoff; other non-2xx answers are failed deliveries', async () => {
    const answers = [200, 503, 502, 200, 404];
    const hook = await receiver((k) => answers[k - 1] ?? 200);
    try {
      const id = chanId();
      await cal.events.watch({ calendarId: 'primary', requestBody: { id, type: 'web_hook', address: hook.address } });
      await waitFor(() => hook.received.length === 1);
      await cal.events.insert({ calendarId: 'primary', requestBody: ev() });
      await waitFor(() => hook.received.length === 4);
      const nums = hook.received.slice(1).map((r) => r.headers['x-goog-message-number']);
      expect(new Set(nums).size).toBe(1);
      await cal.events.insert({ calendarId: 'primary', requestBody: ev() });
      await waitFor(() => hook.received.length === 5);
      await new Promise((r) => setTimeout(r, 200));
      expect(hook.received.length).toBe(5);
      const chan = (await emu.control.listChannels()).find((c) => c.id === id)!;
      expect(chan.failed).toBe(1);
      expect(chan.delivered).toBe(2);
    } finally {
      await hook.close();
    }
  });

  it('expired or stopped channels deliver nothing; channels.stop on an unknown channel gets 404', async () => {
    const hook = await receiver();
    try {
      const a = (
        await cal.events.watch({
          calendarId: 'primary',
          requestBody: { id: chanId(), type: 'web_hook', address: hook.address },
        })
      ).data;
      const b = (
        await cal.events.watch({
          calendarId: 'primary',
          requestBody: { id: chanId(), type: 'web_hook', address: hook.address },
        })
      ).data;
      await waitFor(() => hook.received.length === 2);
      await cal.channels.stop({ requestBody: { id: a.id!, resourceId: a.resourceId! } });
      await emu.control.expireChannel(b.id!);
      await cal.events.insert({ calendarId: 'primary', requestBody: ev() });
      await new Promise((r) => setTimeout(r, 150));
      expect(hook.received.length).toBe(2);
      const err = await expectApiError(cal.channels.stop({ requestBody: { id: 'nope', resourceId: 'x' } }));
      expect(err.status).toBe(404);
      expect(err.error.errors[0]?.reason).toBe('notFound');
      const again = await expectApiError(cal.channels.stop({ requestBody: { id: a.id!, resourceId: a.resourceId! } }));
      expect(again.status).toBe(404);
    } finally {
      await hook.close();
    }
  });

  it('channel expires by the virtual clock', async () => {
    const hook = await receiver();
    try {
      await cal.events.watch({
        calendarId: 'primary',
        requestBody: { id: chanId(), type: 'web_hook', address: hook.address, params: { ttl: '60' } },
      });
      await waitFor(() => hook.received.length === 1);
      await emu.control.advanceClock(61_000);
      await cal.events.insert({ calendarId: 'primary', requestBody: ev() });
      await new Promise((r) => setTimeout(r, 150));
      expect(hook.received.length).toBe(1);
    } finally {
      await emu.control.advanceClock(-61_000);
      await hook.close();
    }
  });

  it('events.watch with eventTypes only notifies changes to those types', async () => {
    const hook = await receiver();
    const calendarId = (await cal.calendars.insert({ requestBody: { summary: 'typed' } })).data.id!;
    try {
      await cal.events.watch({
        calendarId,
        eventTypes: ['focusTime'],
        requestBody: { id: chanId(), type: 'web_hook', address: hook.address },
      });
      await waitFor(() => hook.received.length === 1);
      await cal.events.insert({ calendarId, requestBody: ev() });
      await new Promise((r) => setTimeout(r, 100));
      expect(hook.received.length).toBe(1);
      await emu.control.createEvent(calendarId, { ...ev(), eventType: 'focusTime' });
      await waitFor(() => hook.received.length === 2);
    } finally {
      await hook.close();
    }
  });

  it('channel id at most 64 characters, token at most 256', async () => {
    const long = await expectApiError(
      cal.events.watch({
        calendarId: 'primary',
        requestBody: { id: 'x'.repeat(65), type: 'web_hook', address: 'https://example.com/h' },
      }),
    );
    expect(long.status).toBe(400);
    const tok = await expectApiError(
      cal.events.watch({
        calendarId: 'primary',
        requestBody: { id: chanId(), type: 'web_hook', address: 'https://example.com/h', token: 't'.repeat(257) },
      }),
    );
    expect(tok.status).toBe(400);
  });

  it('only https addresses unless EMULATOR_ALLOW_HTTP_PUSH', async () => {
    const strict = await startEmulator({ autoConsent: true });
    try {
      const { client } = await authorise(strict.url, 'https@example.com');
      const err = await expectApiError(
        calendarApi(strict.url, client).events.watch({
          calendarId: 'primary',
          requestBody: { id: 'c1', type: 'web_hook', address: 'http://127.0.0.1:1/h' },
        }),
      );
      expect(err.status).toBe(400);
      expect(err.error.errors[0]).toMatchObject({
        reason: 'push.webhookUrlNotHttps',
        message: 'WebHook callback must be HTTPS: http://127.0.0.1:1/h',
      });
    } finally {
      await strict.stop();
    }
  });

  it('delivery controls: drop, duplicate, delay, reorder', async () => {
    const hook = await receiver();
    const calendarId = (await cal.calendars.insert({ requestBody: { summary: 'isolated' } })).data.id!;
    try {
      await cal.events.watch({ calendarId, requestBody: { id: chanId(), type: 'web_hook', address: hook.address } });
      await waitFor(() => hook.received.length === 1);
      await emu.control.setNotificationDelivery({ dropNext: 1 });
      await cal.events.insert({ calendarId, requestBody: ev() });
      await new Promise((r) => setTimeout(r, 100));
      expect(hook.received.length).toBe(1);
      await emu.control.setNotificationDelivery({ duplicate: true });
      await cal.events.insert({ calendarId, requestBody: ev() });
      await waitFor(() => hook.received.length === 3);
      expect(hook.received[1]!.headers['x-goog-message-number']).toBe(
        hook.received[2]!.headers['x-goog-message-number'],
      );
      await emu.control.setNotificationDelivery({ reorder: true });
      await cal.events.insert({ calendarId, requestBody: ev() });
      await cal.events.insert({ calendarId, requestBody: ev() });
      await waitFor(() => hook.received.length === 5);
      expect(Number(hook.received[3]!.headers['x-goog-message-number'])).toBeGreaterThan(
        Number(hook.received[4]!.headers['x-goog-message-number']),
      );
      await emu.control.setNotificationDelivery({ delayMs: 150 });
      const t0 = Date.now();
      await cal.events.insert({ calendarId, requestBody: ev() });
      await waitFor(() => hook.received.length === 6);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      await emu.control.setNotificationDelivery({});
      expect((await emu.control.notificationLog()).some((r) => r.status === 'dropped')).toBe(true);
    } finally {
      await hook.close();
    }
  });
});

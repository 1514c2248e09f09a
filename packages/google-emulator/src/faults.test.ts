import { expect, it } from 'vitest';
import { Faults } from './faults';

it('applies a fault to the next N matching calls only', () => {
  const f = new Faults();
  f.add({ method: 'calendar.events.list', status: 503, times: 2 });
  expect(f.take('calendar.events.get')).toBeUndefined();
  expect(f.take('calendar.events.list')?.error?.body().error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
  expect(f.take('calendar.events.list')?.error?.code).toBe(503);
  expect(f.take('calendar.events.list')).toBeUndefined();
});

it('wildcard latency without an error', () => {
  const f = new Faults();
  f.add({ method: '*', latencyMs: 50 });
  expect(f.take('oauth.token')).toEqual({ latencyMs: 50, error: undefined });
});

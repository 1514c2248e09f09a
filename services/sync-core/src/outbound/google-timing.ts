import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Time spent waiting on Google within one request, so the API can report it (Server-Timing) and the
 * benchmark can separate our overhead from Google's latency.
 */
export type TimedGoogle = AsyncLocalStorage<{ ms: number }>;

export function createGoogleTiming(): TimedGoogle {
  return new AsyncLocalStorage<{ ms: number }>();
}

export async function googleTimeOf<T>(
  timing: TimedGoogle,
  fn: () => Promise<T>,
): Promise<{ value: T; googleMs: number }> {
  const slot = { ms: 0 };
  const value = await timing.run(slot, fn);
  return { value, googleMs: slot.ms };
}

export function addGoogleTime(timing: TimedGoogle, ms: number): void {
  const slot = timing.getStore();
  if (slot) slot.ms += ms;
}

import { randomUUID } from 'node:crypto';
import type { Stack } from './stack';
import { tokenOf } from './stack';

/**
 * A small, steady load over every service's HTTP surface for `durationMs`: probes, an internal-API
 * call with and without credentials, and Google-shaped pushes to webhook-ingest (unknown channels,
 * as a push for a stopped channel would be). Returns the number of requests sent.
 */
export async function runHttpLoad(stack: Stack, durationMs: number): Promise<number> {
  const end = Date.now() + durationMs;
  let sent = 0;
  let message = 1;
  const hit = async (url: string, init?: RequestInit) => {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
    } catch {
      // the load only feeds metrics; failures show up in them
    }
    sent++;
  };
  const channelId = randomUUID();
  while (Date.now() < end) {
    const round: Promise<void>[] = [];
    for (const s of Object.values(stack.services)) {
      round.push(hit(`${s.url}/healthz`), hit(`${s.url}/readyz`), hit(`${s.url}/no-such-route`));
      round.push(hit(`${s.url}/internal/ping`, { headers: { authorization: `Bearer ${tokenOf('sync-core')}` } }));
      round.push(hit(`${s.url}/internal/ping`));
    }
    const wi = stack.services['webhook-ingest'];
    if (wi) {
      round.push(
        hit(`${wi.url}/google/notifications`, {
          method: 'POST',
          headers: {
            'x-goog-channel-id': channelId,
            'x-goog-resource-id': 'load-resource',
            'x-goog-resource-state': 'exists',
            'x-goog-message-number': String(message++),
            'x-goog-channel-token': 'load',
          },
        }),
      );
    }
    await Promise.all(round);
    await new Promise((r) => setTimeout(r, 200));
  }
  return sent;
}

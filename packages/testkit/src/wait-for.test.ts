import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('keeps polling while the function throws', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls < 2) throw new Error('not yet');
        return 'ok';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ok');
  });

  it('rejects with the last error once the timeout passes', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/timed out after 20 ms: still broken/);
  });

  it('treats false and null as not ready', async () => {
    await expect(waitFor(() => false, { timeoutMs: 10, intervalMs: 2 })).rejects.toThrow(/returned false/);
    await expect(waitFor(() => null, { timeoutMs: 10, intervalMs: 2 })).rejects.toThrow(/returned null/);
  });
});

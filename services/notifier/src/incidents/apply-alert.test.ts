import { describe, expect, it } from 'vitest';
import { applyAlert } from './apply-alert';

const at = (iso: string) => new Date(iso);
const open = { id: '7' };

describe('applyAlert', () => {
  it('opens an incident when none is open', () => {
    expect(
      applyAlert({ status: 'open', occurredAt: at('2026-06-12T10:00:00Z'), open: null, lastResolvedAt: null }),
    ).toEqual({
      type: 'open',
    });
  });

  it('counts an open alert for an open incident as a repeat', () => {
    expect(applyAlert({ status: 'open', occurredAt: at('2026-06-12T10:05:00Z'), open, lastResolvedAt: null })).toEqual({
      type: 'repeat',
      incidentId: '7',
    });
  });

  it('resolves the open incident', () => {
    expect(
      applyAlert({ status: 'resolved', occurredAt: at('2026-06-12T11:00:00Z'), open, lastResolvedAt: null }),
    ).toEqual({
      type: 'resolve',
      incidentId: '7',
    });
  });

  it('ignores a resolution with nothing open', () => {
    expect(
      applyAlert({ status: 'resolved', occurredAt: at('2026-06-12T11:00:00Z'), open: null, lastResolvedAt: null }),
    ).toEqual({ type: 'ignore', reason: 'resolve-without-open' });
  });

  it('does not reopen with an alert older than the last resolution, but does with a newer one', () => {
    const lastResolvedAt = at('2026-06-12T11:00:00Z');
    expect(applyAlert({ status: 'open', occurredAt: at('2026-06-12T10:59:59Z'), open: null, lastResolvedAt })).toEqual({
      type: 'ignore',
      reason: 'stale-open',
    });
    expect(applyAlert({ status: 'open', occurredAt: at('2026-06-12T11:00:01Z'), open: null, lastResolvedAt })).toEqual({
      type: 'open',
    });
  });
});

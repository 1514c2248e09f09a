import { describe, expect, it } from 'vitest';
import {
  addToSummary,
  foldBacklog,
  type IncidentFacts,
  SUMMARY_SAMPLES,
  type SummaryNotification,
} from './notification';

const facts = (n: number, severity: IncidentFacts['severity'] = 'warning'): IncidentFacts => ({
  incidentId: String(n),
  kind: 'sync.paused',
  subject: `calendar:${n}`,
  severity,
  title: `Sync paused ${n}`,
  detail: '',
  accountEmail: null,
  calendarId: null,
  action: null,
  since: '2026-06-12T10:00:00Z',
});
const windowEndsAt = new Date('2026-06-12T10:01:00Z');

describe('addToSummary', () => {
  it('starts a summary and counts opened and resolved apart', () => {
    let summary: SummaryNotification | null = null;
    summary = addToSummary(summary, { type: 'opened', incident: facts(1, 'critical') }, windowEndsAt);
    summary = addToSummary(summary, { type: 'opened', incident: facts(2) }, windowEndsAt);
    summary = addToSummary(
      summary,
      { type: 'resolved', incident: facts(3), resolvedAt: '2026-06-12T10:00:30Z', occurrences: 4 },
      windowEndsAt,
    );
    expect(summary).toMatchObject({
      type: 'summary',
      windowEndsAt: windowEndsAt.toISOString(),
      opened: 2,
      resolved: 1,
      bySeverity: { critical: 1, warning: 1 },
      byKind: { 'sync.paused': 2 },
    });
    expect(summary.samples.map((s) => s.status)).toEqual(['opened', 'opened', 'resolved']);
  });

  it('keeps only a few samples however large the storm', () => {
    let summary: SummaryNotification | null = null;
    for (let i = 0; i < 1000; i++)
      summary = addToSummary(summary, { type: 'opened', incident: facts(i) }, windowEndsAt);
    expect(summary?.opened).toBe(1000);
    expect(summary?.samples).toHaveLength(SUMMARY_SAMPLES);
  });
});

describe('foldBacklog', () => {
  it('folds individual messages and summaries into one catch-up summary', () => {
    let storm: SummaryNotification | null = null;
    for (let i = 10; i < 20; i++)
      storm = addToSummary(storm, { type: 'opened', incident: facts(i, 'critical') }, windowEndsAt);
    const now = new Date('2026-06-12T11:00:00Z');
    const folded = foldBacklog(
      [
        { type: 'opened', incident: facts(1) },
        storm as SummaryNotification,
        { type: 'resolved', incident: facts(1), resolvedAt: '2026-06-12T10:30:00Z', occurrences: 1 },
      ],
      now,
    );
    expect(folded).toMatchObject({
      type: 'summary',
      cause: 'backlog',
      opened: 11,
      resolved: 1,
      bySeverity: { warning: 1, critical: 10 },
      byKind: { 'sync.paused': 11 },
    });
    expect(folded.samples).toHaveLength(SUMMARY_SAMPLES);
    expect(folded.samples[0]?.subject).toBe('calendar:1');
  });
});

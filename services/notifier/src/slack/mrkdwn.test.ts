import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, formatDuration, slackDate, truncate } from './mrkdwn';

describe('mrkdwn helpers', () => {
  it('escapes control characters so text cannot inject links or mentions', () => {
    expect(escapeMrkdwn('<!channel> & <http://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;http://x|y&gt;');
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('formats dates for Slack with a fallback', () => {
    expect(slackDate('2026-06-12T10:00:00Z')).toBe(
      '<!date^1781258400^{date_short_pretty} {time}|2026-06-12T10:00:00Z>',
    );
  });

  it('formats durations', () => {
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(4 * 60_000)).toBe('4 min');
    expect(formatDuration((2 * 60 + 13) * 60_000)).toBe('2 h 13 min');
    expect(formatDuration(3 * 24 * 3_600_000 + 3_600_000)).toBe('3 d 1 h');
  });
});

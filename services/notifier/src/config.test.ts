import { randomBytes } from 'node:crypto';
import { ConfigError } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://u:p@h/db',
  KAFKA_BROKERS: 'k:9092',
  INTERNAL_API_TOKENS: 'admin-page:0123456789abcdef',
  WEBHOOK_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  WEBHOOK_ACTIVE_KEY_ID: 'k1',
  ADMIN_BASE_URL: 'https://admin.example.test',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('notifier config', () => {
  it('parses with defaults: Slack hosts only, https only, no fallback', () => {
    expect(loadServiceConfig(valid)).toMatchObject({
      SLACK_WEBHOOK_HOSTS: ['hooks.slack.com', 'hooks.slack-gov.com'],
      SLACK_ALLOW_HTTP: false,
      SLACK_FALLBACK_WEBHOOK_URL: undefined,
      ORG_MESSAGES_PER_WINDOW: 5,
      ORG_RATE_WINDOW_MS: 60_000,
    });
  });

  it('names a bad key ring without printing key material', () => {
    expect(problems({ ...valid, WEBHOOK_KEYS: 'k1:c2hvcnQ=' })).toEqual(['WEBHOOK_KEYS']);
    expect(problems({ ...valid, WEBHOOK_ACTIVE_KEY_ID: 'k9' })).toEqual(['WEBHOOK_KEYS']);
  });

  it('requires the admin base URL and an https fallback', () => {
    const { ADMIN_BASE_URL: _, ...withoutAdmin } = valid;
    expect(problems(withoutAdmin)).toEqual(['ADMIN_BASE_URL']);
    expect(problems({ ...valid, SLACK_FALLBACK_WEBHOOK_URL: 'http://hooks.slack.com/services/x' })).toEqual([
      'SLACK_FALLBACK_WEBHOOK_URL',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, maskWebhookUrl } from './webhook-url';

const rules = { allowedHosts: ['hooks.slack.com'], allowHttp: false };
const secret = 'https://hooks.slack.com/services/T0001/B0002/abcdefSECRETxyz';

describe('checkWebhookUrl', () => {
  it('accepts a Slack webhook', () => {
    expect(checkWebhookUrl(secret, rules)).toEqual({ ok: true, url: secret });
  });

  it('refuses other hosts, http, credentials and junk without echoing the URL', () => {
    for (const raw of [
      'https://internal.example/services/x',
      'http://hooks.slack.com/services/x',
      'https://u:p@hooks.slack.com/services/x',
      'https://hooks.slack.com/',
      'not a url',
    ]) {
      const result = checkWebhookUrl(raw, rules);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).not.toContain(raw);
    }
  });

  it('accepts http when allowed (tests, local development)', () => {
    expect(checkWebhookUrl('http://127.0.0.1:9999/hook/a', { allowedHosts: ['127.0.0.1'], allowHttp: true }).ok).toBe(
      true,
    );
  });
});

describe('maskWebhookUrl', () => {
  it('hides the secret segment', () => {
    expect(maskWebhookUrl(secret)).toBe('https://hooks.slack.com/services/T0001/B0002/…');
  });
});

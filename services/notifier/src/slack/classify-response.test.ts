import { describe, expect, it } from 'vitest';
import { classifyWebhookResponse, parseRetryAfter } from './classify-response';

const response = (status: number, body = '', retryAfter: string | null = null) => ({ status, body, retryAfter });
const now = new Date('2026-06-12T10:00:00Z');

describe('classifyWebhookResponse', () => {
  it('treats 200 ok as delivered', () => {
    expect(classifyWebhookResponse(response(200, 'ok'))).toEqual({ outcome: 'delivered' });
  });

  it('retries 429 after Retry-After', () => {
    expect(classifyWebhookResponse(response(429, 'rate_limited', '30'), now)).toEqual({
      outcome: 'retry',
      reason: 'rate_limited',
      detail: '429 rate_limited',
      retryAfterMs: 30_000,
    });
    expect(classifyWebhookResponse(response(429), now)).toMatchObject({ outcome: 'retry', reason: 'rate_limited' });
  });

  it('retries 5xx, 408 and network errors', () => {
    expect(classifyWebhookResponse(response(500, 'rollup_error'))).toMatchObject({
      outcome: 'retry',
      reason: 'server_error',
    });
    expect(classifyWebhookResponse(response(503))).toMatchObject({ outcome: 'retry', reason: 'server_error' });
    expect(classifyWebhookResponse(response(408))).toMatchObject({ outcome: 'retry', reason: 'server_error' });
    expect(classifyWebhookResponse({ status: 0, body: '', retryAfter: null, error: 'ECONNREFUSED' })).toEqual({
      outcome: 'retry',
      reason: 'network_error',
      detail: 'ECONNREFUSED',
    });
  });

  it('marks a gone or forbidden webhook broken', () => {
    expect(classifyWebhookResponse(response(404, 'no_service'))).toEqual({ outcome: 'broken', reason: 'no_service' });
    expect(classifyWebhookResponse(response(410, 'channel_is_archived'))).toEqual({
      outcome: 'broken',
      reason: 'channel_is_archived',
    });
    expect(classifyWebhookResponse(response(403, 'invalid_token'))).toEqual({
      outcome: 'broken',
      reason: 'invalid_token',
    });
    expect(classifyWebhookResponse(response(400, 'invalid_token'))).toEqual({
      outcome: 'broken',
      reason: 'invalid_token',
    });
    expect(classifyWebhookResponse(response(403, 'action_prohibited'))).toEqual({
      outcome: 'broken',
      reason: 'action_prohibited',
    });
    expect(classifyWebhookResponse(response(404))).toEqual({ outcome: 'broken', reason: 'http_404' });
  });

  it('rejects a message Slack cannot accept without breaking the webhook', () => {
    expect(classifyWebhookResponse(response(400, 'invalid_blocks'))).toEqual({
      outcome: 'rejected',
      reason: '400 invalid_blocks',
    });
    expect(classifyWebhookResponse(response(413))).toEqual({ outcome: 'rejected', reason: 'http_413' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Fri, 12 Jun 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

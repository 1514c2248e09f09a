import type { WebhookResponse } from './classify-response';
import type { SlackMessage } from './render-message';

/**
 * POSTs a message to an incoming webhook. Never throws: a network failure or timeout is a response
 * with status 0. Error details name the failure only (the URL is a secret and stays out of them).
 */
export async function postWebhook(url: string, message: SlackMessage, timeoutMs: number): Promise<WebhookResponse> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const body = (await response.text()).slice(0, 200);
    return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, body: '', retryAfter: null, error: describeFailure(error) };
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'request failed';
}

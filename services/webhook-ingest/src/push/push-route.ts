import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServerSpan } from '@gcal-sync/shared';
import type { WebhookMetrics } from '../webhook-metrics';
import { type PushHeaders, parsePushHeaders } from './push-headers';
import type { PushResult } from './push-processor';

const BODIES: Record<number, string> = {
  400: '',
  401: JSON.stringify({ error: { code: 'unauthenticated', message: 'channel token or resource id does not match' } }),
  500: JSON.stringify({ error: { code: 'internal', message: 'internal error' } }),
  503: JSON.stringify({ error: { code: 'unavailable', message: 'try again later' } }),
};

/**
 * The push endpoint as a plain Node handler: Google's notification is all headers, so it skips
 * express's router and body parsing, which matter at thousands of requests per second.
 */
export function createPushRoute(deps: {
  /** The route, for the span: the HTTP instrumentation skips it (startTelemetry's `untracedPaths`). */
  path: string;
  processPush: (push: PushHeaders, receivedAt: string) => Promise<PushResult>;
  metrics: WebhookMetrics;
}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const span = startServerSpan(`POST ${deps.path}`, {
      'http.request.method': 'POST',
      'http.route': deps.path,
      'url.path': deps.path,
    });
    // The body (empty for events, tiny for calendarList) carries nothing we use; drain it.
    req.resume();
    const finish = (status: number, state: string, outcome: string, body: string) => {
      const payload = body || '';
      res.writeHead(status, {
        'content-type': payload ? 'application/json' : 'text/plain',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
      deps.metrics.notifications.inc({ state, outcome });
      deps.metrics.ackDuration.observe({ status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
      span.end(status);
    };
    const parsed = parsePushHeaders(req.headers);
    if (!parsed.ok) {
      finish(400, 'invalid', 'invalid', JSON.stringify({ error: { code: 'invalid_request', message: parsed.error } }));
      return;
    }
    const state = parsed.push.resourceState;
    span
      .run(() => deps.processPush(parsed.push, new Date().toISOString()))
      .then(
        (result) => finish(result.status, state, result.outcome, BODIES[result.status] ?? ''),
        () => finish(500, state, 'error', BODIES[500]!),
      );
  };
}

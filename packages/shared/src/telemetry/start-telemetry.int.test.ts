import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_PATH } from '../contracts/api/oauth-internal';
import { createAccessTokenClient } from '../google/access-token-client';
import { startTelemetry } from './start-telemetry';

/**
 * Global fetch (undici) is traced: the access-token call every service makes to oauth continues
 * the caller's trace as a client span, and carries the trace to oauth in `traceparent`.
 */
const spans = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'test-fetch', exporter: spans, exportImmediately: true });
const received: IncomingHttpHeaders[] = [];
let server: Server;
let oauthBaseUrl: string;

beforeAll(async () => {
  // A stand-in for oauth's access-token API: real HTTP, so undici really sends the request.
  server = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        accessToken: 'ya29.test',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        scopes: [],
        googleEmail: 'user@example.com',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  oauthBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await telemetry.shutdown();
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until)
      throw new Error(
        `no client span; finished: ${spans
          .getFinishedSpans()
          .map((s) => s.name)
          .join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('startTelemetry: fetch', () => {
  it('a fetch inside an active span is a client span of the same trace, and propagates it', async () => {
    const tokens = createAccessTokenClient({ oauthBaseUrl, credential: 'sync-core-secret' });
    // Tracer taken at call time (see CONTRIBUTING: Tracing).
    const parent = await trace.getTracer('test').startActiveSpan('sync calendar', async (span) => {
      try {
        expect(await tokens.get('conn-1')).toBe('ya29.test');
        return span.spanContext();
      } finally {
        span.end();
      }
    });

    // The client span ends on undici's response-complete event, a tick after the body is read.
    const url = `${oauthBaseUrl}${ACCESS_TOKEN_PATH('conn-1')}`;
    const client = await waitFor(() =>
      spans.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT && s.attributes['url.full'] === url),
    );
    expect(client.spanContext().traceId).toBe(parent.traceId);
    expect(client.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(client.attributes['http.response.status_code']).toBe(200);
    // oauth receives the context: its server span joins the same trace.
    expect(received.at(-1)?.traceparent).toMatch(
      new RegExp(`^00-${parent.traceId}-${client.spanContext().spanId}-0[01]$`),
    );
  });
});

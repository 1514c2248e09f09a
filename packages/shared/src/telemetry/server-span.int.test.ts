import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerSpan } from './server-span';
import { startTelemetry } from './start-telemetry';

/**
 * A hot path listed in `untracedPaths` is skipped by the HTTP instrumentation and traced by the
 * service's own server span (one per request, never two), which parents what the handler does.
 */
const spans = new InMemorySpanExporter();
const telemetry = startTelemetry({
  serviceName: 'test-server-span',
  exporter: spans,
  exportImmediately: true,
  untracedPaths: ['/hot'],
});
let server: Server;
let base: string;

beforeAll(async () => {
  // Required after startTelemetry, as bin.ts does, so the HTTP instrumentation has patched it.
  const { createServer } = require('node:http') as typeof import('node:http');
  server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/hot')) {
      const span = startServerSpan('POST /hot', { 'http.route': '/hot' });
      void span
        .run(async () => {
          trace.getTracer('test').startSpan('work inside').end();
          return 503;
        })
        .then((status) => {
          res.writeHead(status).end();
          span.end(status);
        });
    } else {
      res.writeHead(204).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await telemetry.shutdown();
});

describe('startServerSpan with untracedPaths', () => {
  it('gives a listed path exactly one server span, its own, parenting the handler’s spans', async () => {
    expect((await fetch(`${base}/hot?x=1`, { method: 'POST' })).status).toBe(503);
    const finished = spans.getFinishedSpans();
    const servers = finished.filter((s) => s.kind === SpanKind.SERVER);
    expect(servers.map((s) => s.name)).toEqual(['POST /hot']);
    expect(servers[0]!.attributes['http.response.status_code']).toBe(503);
    expect(servers[0]!.status.code).toBe(2); // ERROR for 5xx
    const inner = finished.find((s) => s.name === 'work inside');
    expect(inner?.parentSpanContext?.spanId).toBe(servers[0]!.spanContext().spanId);
  });

  it('leaves other paths to the HTTP instrumentation', async () => {
    spans.reset();
    expect((await fetch(`${base}/other`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    const servers = spans.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    expect(servers[0]!.name).not.toBe('POST /hot');
  });
});

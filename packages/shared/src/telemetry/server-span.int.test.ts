import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
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

/** Spans reach the exporter asynchronously (the SDK waits for the resource's async attributes). */
async function finishedSpan(name: string): Promise<ReadableSpan> {
  const until = Date.now() + 5_000;
  for (;;) {
    const span = spans.getFinishedSpans().find((s) => s.name === name);
    if (span) return span;
    if (Date.now() > until) throw new Error(`no span ${name}: ${spans.getFinishedSpans().map((s) => s.name)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const fromHttpInstrumentation = (s: ReadableSpan) => s.instrumentationScope.name.includes('instrumentation-http');

describe('startServerSpan with untracedPaths', () => {
  it('gives a listed path exactly one server span, its own, parenting the handler’s spans', async () => {
    expect((await fetch(`${base}/hot?x=1`, { method: 'POST' })).status).toBe(503);
    const server = await finishedSpan('POST /hot');
    const inner = await finishedSpan('work inside');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.attributes['http.response.status_code']).toBe(503);
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(inner.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    // Give a second server span the same time to show up: there must be none.
    await new Promise((r) => setTimeout(r, 200));
    const servers = spans.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
    expect(servers.map((s) => s.name)).toEqual(['POST /hot']);
  });

  it('leaves other paths to the HTTP instrumentation', async () => {
    expect((await fetch(`${base}/other`)).status).toBe(204);
    await finishedSpan('GET');
    const servers = spans
      .getFinishedSpans()
      .filter((s) => s.kind === SpanKind.SERVER && fromHttpInstrumentation(s))
      .map((s) => s.attributes['http.target'] ?? s.attributes['url.path']);
    expect(servers).toEqual(['/other']);
  });
});

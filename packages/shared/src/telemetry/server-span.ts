import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { unsuppressTracing } from '@opentelemetry/core';

export type ServerSpan = {
  /** Runs `fn` with this span active, so the spans it starts (Kafka publish, pg) are its children. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  end(statusCode: number): void;
};

/**
 * A SERVER span started by hand, for a hot endpoint listed in startTelemetry's `untracedPaths`.
 * The HTTP instrumentation re-binds every request and response listener to the context and
 * collects some twenty attributes per request: taking it off the push route and starting this span
 * instead cut webhook-ingest's CPU per push by about a fifth (bench/webhook-ingest-throughput.ts),
 * and the endpoint stays the root of its traces.
 */
export function startServerSpan(name: string, attributes: Attributes): ServerSpan {
  // Taken at call time: a tracer taken before the SDK registers stays a no-op (see CONTRIBUTING).
  // The instrumentation runs the requests it skips with tracing suppressed; this span and its
  // children must be recorded all the same.
  const parent = unsuppressTracing(context.active());
  const span = trace.getTracer('@gcal-sync/shared/http').startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return {
    run: (fn) => context.with(active, fn),
    end(statusCode) {
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

import { type Context, context, propagation } from '@opentelemetry/api';

type Headers = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

/** Writes the active W3C trace context into message headers (traceparent/tracestate). */
export function injectTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Reads the trace context a producer put in the headers, or falls back to the envelope's copy. */
export function extractTraceContext(
  headers: Headers,
  fallback?: { traceparent: string; tracestate?: string },
): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) carrier[key.toLowerCase()] = first.toString();
  }
  if (!carrier.traceparent && fallback) {
    carrier.traceparent = fallback.traceparent;
    if (fallback.tracestate) carrier.tracestate = fallback.tracestate;
  }
  return propagation.extract(context.active(), carrier);
}

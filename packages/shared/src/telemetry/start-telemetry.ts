import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type TelemetryOptions = {
  serviceName: string;
  /** OTLP/HTTP base endpoint (e.g. http://collector:4318). Without it, spans are created for context propagation but not exported. */
  otlpEndpoint?: string;
  /** Export each span as it ends (tests); batching otherwise. */
  exportImmediately?: boolean;
  /**
   * Request paths the HTTP instrumentation skips because the service starts their server span
   * itself (startServerSpan), for endpoints hot enough that the instrumentation's cost shows.
   */
  untracedPaths?: string[];
  /** Export to this instead of OTLP (tests read spans from an in-memory exporter). */
  exporter?: SpanExporter;
};

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK once per process. Call it before other modules load express/pg
 * (bin.ts does) so the instrumentations patch them. Kafka context propagation is done by our own
 * kafka module, so no kafkajs instrumentation is registered (it would double the spans).
 * Node's global `fetch` runs on undici, not on `http`, so the HTTP instrumentation does not see
 * it: the undici one traces it (and injects traceparent), e.g. the calls to oauth's access-token API.
 */
export function startTelemetry(options: TelemetryOptions): { shutdown(): Promise<void> } {
  if (sdk) return { shutdown: async () => {} };
  const spanProcessors: SpanProcessor[] = [];
  if (options.exporter || options.otlpEndpoint) {
    const exporter =
      options.exporter ?? new OTLPTraceExporter({ url: `${options.otlpEndpoint?.replace(/\/$/, '')}/v1/traces` });
    spanProcessors.push(
      options.exportImmediately ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    );
  } else {
    // NodeSDK registers no tracer provider without a processor; we still want real trace ids
    // (propagated through Kafka, written to logs) when nothing is exported.
    spanProcessors.push(new NoopSpanProcessor());
  }
  const instrumentations = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) =>
        /^\/(healthz|readyz|metrics)/.test(req.url ?? '') ||
        (options.untracedPaths?.includes((req.url ?? '').split('?', 1)[0]!) ?? false),
    }),
    new ExpressInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new UndiciInstrumentation(),
  ];
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors,
    instrumentations,
  });
  sdk.start();
  const started = sdk;
  return {
    async shutdown() {
      await started.shutdown();
      // NodeSDK.shutdown() only flushes: its patches and global providers would outlive it, and a
      // later startTelemetry in the same process (a service restarted in-process, the next test
      // file in a reused worker) could then register nothing and keep tracing into a dead provider.
      for (const instrumentation of instrumentations) instrumentation.disable();
      trace.disable();
      context.disable();
      propagation.disable();
      if (sdk === started) sdk = undefined;
    },
  };
}

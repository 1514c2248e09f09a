import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { type MessageOf, type PayloadOf, type TopicKey, topics } from '../contracts/registry';
import { injectTraceHeaders } from '../telemetry/kafka-propagation';

export type PublishInput<K extends TopicKey> = {
  orgId: string;
  connectionId: string | null;
  payload: PayloadOf<K>;
  /** Deterministic ids make re-publishing the same fact idempotent downstream. */
  messageId?: string;
  occurredAt?: string;
};

/** Wraps and validates a payload in its topic's envelope, stamping the active trace context. */
export function buildEnvelope<K extends TopicKey>(topic: K, input: PublishInput<K>): MessageOf<K> {
  const trace = injectTraceHeaders(context.active());
  const message = {
    messageId: input.messageId ?? randomUUID(),
    schemaVersion: topics[topic].schemaVersion,
    occurredAt: input.occurredAt ?? new Date().toISOString(),
    orgId: input.orgId,
    connectionId: input.connectionId,
    ...(trace.traceparent ? { trace: { traceparent: trace.traceparent, tracestate: trace.tracestate } } : {}),
    payload: input.payload,
  };
  const parsed = topics[topic].envelope.safeParse(message);
  if (!parsed.success) {
    throw new Error(
      `invalid ${topics[topic].name} message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data as MessageOf<K>;
}

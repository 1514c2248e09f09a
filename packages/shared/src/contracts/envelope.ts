import { z } from 'zod';

/** W3C trace context carried inside the envelope too, so a message stays traceable after leaving Kafka (DLQ, logs). */
export const traceContextSchema = z.object({
  traceparent: z.string().regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/, 'must be a W3C traceparent'),
  tracestate: z.string().optional(),
});

/**
 * Every Kafka message is an envelope: identity (for idempotent consumers), schema version,
 * time, tenant (org / connection) and trace context, around a typed payload.
 */
export function envelopeSchema<T extends z.ZodTypeAny>(schemaVersion: number, payload: T) {
  return z.object({
    messageId: z.uuid(),
    schemaVersion: z.literal(schemaVersion),
    occurredAt: z.iso.datetime({ offset: true }),
    orgId: z.string().min(1),
    connectionId: z.string().min(1).nullable(),
    trace: traceContextSchema.optional(),
    payload,
  });
}

export type Envelope<P> = {
  messageId: string;
  schemaVersion: number;
  occurredAt: string;
  orgId: string;
  connectionId: string | null;
  trace?: z.infer<typeof traceContextSchema>;
  payload: P;
};

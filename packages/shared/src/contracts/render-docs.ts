import { stringify } from 'yaml';
import { z } from 'zod';
import { allTopicKeys, deadLetterTopicName, topics } from './registry';

/** JSON Schema (draft 2020-12) of each topic's envelope, keyed by topic name. */
export function renderJsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const key of allTopicKeys) {
    const spec = topics[key];
    out[spec.name] = {
      ...z.toJSONSchema(spec.envelope, { target: 'draft-2020-12', unrepresentable: 'any' }),
      title: spec.name,
      description: spec.description,
    };
  }
  return out;
}

/** An AsyncAPI 3.0 document of every topic, generated from the registry (never edited by hand). */
export function renderAsyncApi(): string {
  const schemas = renderJsonSchemas();
  const channels: Record<string, object> = {};
  const operations: Record<string, object> = {};
  const messages: Record<string, object> = {};
  for (const key of allTopicKeys) {
    const spec = topics[key];
    messages[key] = {
      name: key,
      title: spec.name,
      summary: spec.description,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          traceparent: { type: 'string', description: 'W3C trace context' },
          tracestate: { type: 'string' },
          'message-id': { type: 'string', format: 'uuid' },
          'schema-version': { type: 'string' },
        },
      },
      bindings: { kafka: { key: { type: 'string', description: spec.keyDescription } } },
      payload: { schemaFormat: 'application/schema+json;version=draft-2020-12', schema: schemas[spec.name] },
    };
    channels[key] = {
      address: spec.name,
      description: `${spec.description} Key: ${spec.keyDescription}. Dead letters: ${deadLetterTopicName(spec.name)}.`,
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    for (const producer of spec.producers) {
      operations[`${camel(producer)}Sends${cap(key)}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${key}` },
        summary: `${producer} publishes`,
      };
    }
    for (const consumer of spec.consumers) {
      operations[`${camel(consumer)}Receives${cap(key)}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${key}` },
        summary: `${consumer} consumes`,
      };
    }
  }
  return stringify(
    {
      asyncapi: '3.0.0',
      info: {
        title: 'gcal-sync Kafka contracts',
        version: '1.0.0',
        description:
          'Generated from packages/shared/src/contracts/registry.ts by `pnpm contracts:generate`. Do not edit.',
      },
      defaultContentType: 'application/json',
      channels,
      operations,
      components: { messages },
    },
    { lineWidth: 0 },
  );
}

function camel(name: string): string {
  return name.replace(/[^a-zA-Z0-9]+(.)/g, (_m, c: string) => c.toUpperCase());
}
function cap(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

import { describe, expect, it } from 'vitest';
import { parseExport } from './otlp-receiver';

describe('parseExport', () => {
  it('flattens an OTLP/JSON export with hex ids and the resource service.name', () => {
    const spans = parseExport({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'sync-core' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  parentSpanId: '',
                  name: 'x process',
                  kind: 5,
                  startTimeUnixNano: '1700000000000000000',
                  attributes: [{ key: 'messaging.kafka.offset', value: { intValue: '7' } }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(spans).toEqual([
      {
        service: 'sync-core',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        parentSpanId: '',
        name: 'x process',
        kind: 5,
        startNs: 1700000000000000000n,
        attributes: { 'messaging.kafka.offset': '7' },
      },
    ]);
  });

  it('decodes base64 ids (the protobuf JSON mapping)', () => {
    const traceId = Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex').toString('base64');
    const [span] = parseExport({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ traceId, spanId: Buffer.from('b7ad6b7169203331', 'hex').toString('base64'), name: 'n' }] },
          ],
        },
      ],
    });
    expect(span).toMatchObject({
      service: 'unknown',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
  });
});

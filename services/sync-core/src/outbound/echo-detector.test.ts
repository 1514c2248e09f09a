import { describe, expect, it } from 'vitest';
import { isEcho, type RecordedWrite } from './echo-detector';

const done: RecordedWrite = { writeId: 'w1', op: 'patch', state: 'done', etag: '"2"' };
const marked = (etag: string, writeId = 'w1') => ({
  id: 'e1',
  etag,
  status: 'confirmed',
  extendedProperties: { private: { gcalSyncWriteId: writeId, bookingId: 'b1' } },
});

describe('isEcho', () => {
  it('recognises the etag Google returned to our write', () => {
    expect(isEcho(marked('"2"'), [done])).toBe(true);
  });

  it('treats a later edit in Google as foreign even though our marker survives', () => {
    expect(isEcho(marked('"3"'), [done])).toBe(false);
  });

  it('recognises a write whose etag is not recorded yet by its marker', () => {
    expect(isEcho(marked('"9"', 'w2'), [done, { writeId: 'w2', op: 'patch', state: 'pending', etag: null }])).toBe(
      true,
    );
  });

  it('recognises our deletes', () => {
    expect(isEcho({ id: 'e1', etag: '"4"', status: 'cancelled' }, [{ ...done, op: 'delete', etag: null }])).toBe(true);
    expect(isEcho({ id: 'e1', etag: '"4"', status: 'cancelled' }, [done])).toBe(false);
  });

  it('knows nothing of events we never wrote', () => {
    expect(isEcho({ id: 'e1', etag: '"1"' }, [])).toBe(false);
  });
});

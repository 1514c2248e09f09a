import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { redactSecrets, scrubString } from './redact';

describe('redactSecrets', () => {
  it('redacts secret-looking keys at any depth and keeps the rest', () => {
    const out = redactSecrets({
      connectionId: 'c1',
      refreshToken: '1//abc',
      nested: { headers: { authorization: 'Bearer ya29.x', accept: 'json' }, list: [{ client_secret: 's' }] },
    });
    expect(out).toEqual({
      connectionId: 'c1',
      refreshToken: '[redacted]',
      nested: { headers: { authorization: '[redacted]', accept: 'json' }, list: [{ client_secret: '[redacted]' }] },
    });
  });

  it('scrubs tokens inside free text', () => {
    expect(scrubString('failed: Bearer ya29.A0abc refresh_token=1//xyz&x=1')).toBe(
      'failed: Bearer [redacted] refresh_token=[redacted]&x=1',
    );
  });

  it('never writes a token to a log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ service: 'test', destination: sink });
    logger.info(
      { accessToken: 'ya29.SECRET1', err: new Error('token ya29.SECRET2 rejected') },
      'got Bearer ya29.SECRET3',
    );
    const text = lines.join('');
    expect(text).not.toMatch(/SECRET/);
    expect(text).toContain('[redacted]');
  });
});

import { expect, it } from 'vitest';
import { optionsFromEnv } from './config';

it('reads EMULATOR_* variables', () => {
  const o = optionsFromEnv({ EMULATOR_PORT: '9000', EMULATOR_AUTO_CONSENT: '1', EMULATOR_CLIENTS: 'a:b, c:d:e' }, [
    '--state',
    '/tmp/s.json',
  ]);
  expect(o).toMatchObject({
    port: 9000,
    autoConsent: true,
    allowHttpPush: false,
    clients: { a: 'b', c: 'd:e' },
    stateFile: '/tmp/s.json',
  });
});

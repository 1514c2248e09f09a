import { ConfigError } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { runReencrypt } from './reencrypt';

describe('reencrypt command', () => {
  it('names every missing or bad variable before touching the database', async () => {
    const error = await runReencrypt({ TOKEN_KEYS: 'k1:short' }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'TOKEN_ACTIVE_KEY_ID',
    ]);
    const badKey = await runReencrypt({
      DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none',
      TOKEN_KEYS: 'k1:short',
      TOKEN_ACTIVE_KEY_ID: 'k1',
    }).catch((e) => e);
    expect(badKey).toBeInstanceOf(ConfigError);
    expect((badKey as ConfigError).message).toMatch(/TOKEN_KEYS: key "k1" must be 32 bytes/);
  });
});

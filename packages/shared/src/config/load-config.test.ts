import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseServiceEnv, env } from './env-types';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('names every missing or bad variable', () => {
    const schema = baseServiceEnv.extend({ EXTRA: env.int() });
    try {
      loadConfig(schema, { PORT: 'abc', KAFKA_BROKERS: 'k:9092', INTERNAL_API_TOKENS: 'a:short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const vars = (e as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(['DATABASE_URL', 'EXTRA', 'INTERNAL_API_TOKENS', 'PORT']);
      expect((e as ConfigError).message).toContain('DATABASE_URL: is required but missing');
    }
  });

  it('parses a valid environment with defaults', () => {
    const cfg = loadConfig(baseServiceEnv, {
      DATABASE_URL: 'postgres://u:p@h/db',
      KAFKA_BROKERS: 'a:1, b:2',
      INTERNAL_API_TOKENS: 'sync-core:0123456789abcdef',
    });
    expect(cfg).toMatchObject({ PORT: 8080, KAFKA_BROKERS: ['a:1', 'b:2'], LOG_LEVEL: 'info', KAFKA_TOPIC_PREFIX: '' });
    expect(cfg.INTERNAL_API_TOKENS).toEqual({ 'sync-core': '0123456789abcdef' });
    expect(cfg.KAFKA_ENSURE_TOPICS).toBe(true);
  });

  it('KAFKA_ENSURE_TOPICS: services create missing topics unless told not to (the Helm chart says "false")', () => {
    const base = {
      DATABASE_URL: 'postgres://u:p@h/db',
      KAFKA_BROKERS: 'k:9092',
      INTERNAL_API_TOKENS: 'a:0123456789abcdef',
    };
    expect(loadConfig(baseServiceEnv, { ...base, KAFKA_ENSURE_TOPICS: 'false' }).KAFKA_ENSURE_TOPICS).toBe(false);
    expect(loadConfig(baseServiceEnv, { ...base, KAFKA_ENSURE_TOPICS: '0' }).KAFKA_ENSURE_TOPICS).toBe(false);
    expect(loadConfig(baseServiceEnv, { ...base, KAFKA_ENSURE_TOPICS: 'true' }).KAFKA_ENSURE_TOPICS).toBe(true);
    expect(() => loadConfig(baseServiceEnv, { ...base, KAFKA_ENSURE_TOPICS: 'off' })).toThrow(/KAFKA_ENSURE_TOPICS/);
  });

  it('KAFKA_SESSION_TIMEOUT_MS: 30 s by default, never under the broker floor of 6 s', () => {
    const base = {
      DATABASE_URL: 'postgres://u:p@h/db',
      KAFKA_BROKERS: 'k:9092',
      INTERNAL_API_TOKENS: 'a:0123456789abcdef',
    };
    expect(loadConfig(baseServiceEnv, base).KAFKA_SESSION_TIMEOUT_MS).toBe(30_000);
    expect(loadConfig(baseServiceEnv, { ...base, KAFKA_SESSION_TIMEOUT_MS: '10000' }).KAFKA_SESSION_TIMEOUT_MS).toBe(
      10_000,
    );
    expect(() => loadConfig(baseServiceEnv, { ...base, KAFKA_SESSION_TIMEOUT_MS: '1000' })).toThrow(
      /KAFKA_SESSION_TIMEOUT_MS/,
    );
  });

  it('treats empty strings as missing', () => {
    expect(() => loadConfig(z.object({ A: z.string() }), { A: '' })).toThrow(/A: is required but missing/);
  });
});

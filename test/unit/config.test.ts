import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.DATABASE_PATH).toBe('./data/flink-estimator.db');
    expect(config.BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(config.AUTH_MODE).toBe('none');
  });

  it('parses numbers from strings', () => {
    expect(loadConfig({ PORT: '9090', RATE_LIMIT_MAX: '0' })).toMatchObject({
      PORT: 9090,
      RATE_LIMIT_MAX: 0,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ AUTH_MODE: 'magic' }, /AUTH_MODE/],
    [{ AUTH_MODE: 'token' }, /AUTH_TOKENS: required when AUTH_MODE=token/],
    [{ PRICE_CURRENCY: 'dollars' }, /PRICE_CURRENCY: must be a three-letter/],
    [{ COOKIE_SECRET: 'short' }, /COOKIE_SECRET: must be at least 16/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

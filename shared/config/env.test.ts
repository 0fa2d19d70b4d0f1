import * as z from '../schemas/zod';
import { ConfigError, effectiveEnv, envPositiveInt, parseEnv } from './env';

const shape = { REDIS_URL: z.string().check(z.regex(/^redis:\/\//, 'must be a redis:// URL')), PAY_TIMEOUT: z._default(envPositiveInt, 1800) };

describe('parseEnv', () => {
  it('names a missing required variable', () => {
    expect(() => parseEnv('Redis', shape, {})).toThrow(new ConfigError('Redis configuration: REDIS_URL is required but not set'));
  });

  it('names a malformed variable and says what is wrong with it', () => {
    expect(() => parseEnv('Redis', shape, { REDIS_URL: 'http://x', PAY_TIMEOUT: '-5' })).toThrow(
      /REDIS_URL is invalid: must be a redis:\/\/ URL; PAY_TIMEOUT is invalid: Too small/,
    );
  });

  it('treats an empty value as not set, so serverless.yml can leave a value blank', () => {
    expect(() => parseEnv('Redis', shape, { REDIS_URL: '' })).toThrow(/REDIS_URL is required/);
    expect(effectiveEnv({ A: '', B: 'b' })).toEqual({ B: 'b' });
  });

  it('applies defaults and coerces numbers', () => {
    expect(parseEnv('Redis', shape, { REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ REDIS_URL: 'redis://127.0.0.1:6379', PAY_TIMEOUT: 1800 });
    expect(parseEnv('Redis', shape, { REDIS_URL: 'redis://x', PAY_TIMEOUT: '3' }).PAY_TIMEOUT).toBe(3);
  });
});

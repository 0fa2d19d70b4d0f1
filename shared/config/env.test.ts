import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { ConfigError, LOCAL_STACK_ENV_FILE, effectiveEnv, parseEnv } from './env';

const shape = { REDIS_URL: z.string().regex(/^redis:\/\//, 'must be a redis:// URL'), PAY_TIMEOUT: z.coerce.number().int().positive().default(1800) };

describe('parseEnv', () => {
  it('names a missing required variable', () => {
    expect(() => parseEnv('Redis', shape, {})).toThrow(new ConfigError('Redis configuration: REDIS_URL is required but not set'));
  });

  it('names a malformed variable and says what is wrong with it', () => {
    expect(() => parseEnv('Redis', shape, { REDIS_URL: 'http://x', PAY_TIMEOUT: '-5' })).toThrow(
      /REDIS_URL is invalid: must be a redis:\/\/ URL; PAY_TIMEOUT is invalid/,
    );
  });

  it('treats an empty value as not set, so serverless.yml can leave a value blank', () => {
    expect(() => parseEnv('Redis', shape, { REDIS_URL: '' })).toThrow(/REDIS_URL is required/);
  });

  it('applies defaults and coerces numbers', () => {
    expect(parseEnv('Redis', shape, { REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ REDIS_URL: 'redis://127.0.0.1:6379', PAY_TIMEOUT: 1800 });
  });
});

describe('effectiveEnv', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it('reads the local stack file only under IS_LOCAL, and the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-env-'));
    mkdirSync(join(dir, '.local-data'));
    writeFileSync(join(dir, LOCAL_STACK_ENV_FILE), JSON.stringify({ REDIS_URL: 'redis://from-file', OTHER: 'x' }));
    process.chdir(dir);

    expect(effectiveEnv({}).REDIS_URL).toBeUndefined();
    expect(effectiveEnv({ IS_LOCAL: 'true' }).REDIS_URL).toBe('redis://from-file');
    expect(effectiveEnv({ IS_LOCAL: 'true', REDIS_URL: 'redis://from-env' }).REDIS_URL).toBe('redis://from-env');
  });
});

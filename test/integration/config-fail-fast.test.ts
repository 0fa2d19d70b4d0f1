import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Loads a module the way a cold start does, in a fresh process with the given environment. */
function coldStart(modulePath: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(join(root, modulePath))})`], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('configuration fails fast at cold start', () => {
  it('refuses to load the Redis adapter without REDIS_URL and names the variable', () => {
    const { status, stderr } = coldStart('shared/adapters/redis/client.ts', {});
    expect(status).not.toBe(0);
    expect(stderr).toContain('ConfigError: Redis configuration: REDIS_URL is required but not set');
  });

  it('names a malformed REDIS_URL', () => {
    const { status, stderr } = coldStart('shared/adapters/redis/client.ts', { REDIS_URL: 'localhost:6379' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('REDIS_URL is invalid: must be a redis:// or rediss:// URL');
  });

  it('loads when the variable is valid', () => {
    const { status, stderr } = coldStart('shared/adapters/redis/client.ts', { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('refuses to load the login function without WX_APPID and names it', () => {
    const { status, stderr } = coldStart('functions/login/handler.ts', { REDIS_URL: 'redis://127.0.0.1:1', MQ_ENDPOINT: 'http://127.0.0.1:3200', MQ_ACCESS_KEY_ID: 'id' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('WeChat configuration: WX_APPID is required but not set');
  });

  it('refuses to load an MQ consumer with an endpoint that ends in a slash', () => {
    const { status, stderr } = coldStart('functions/store-updated-consumer/handler.ts', {
      REDIS_URL: 'redis://127.0.0.1:1',
      MQ_ENDPOINT: 'http://127.0.0.1:3200/',
      MQ_ACCESS_KEY_ID: 'id',
    });
    expect(status).not.toBe(0);
    expect(stderr).toContain('MQ_ENDPOINT is invalid: must not end with "/"');
  });
});

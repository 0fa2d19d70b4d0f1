import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort, waitUntil } from './free-port';
import { supervise, tailOutput, type RunningService } from './child-process';

export type RedisOptions = { port?: number; bin?: string };

function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('error', reject);
    socket.once('timeout', () => reject(new Error('timeout')));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected answer ${data.toString().trim()}`));
    });
  });
}

/**
 * Starts a private redis-server on loopback that keeps nothing on disk.
 * The cache is disposable by design, so neither the stack nor the tests need persistence.
 */
export async function startRedis(options: RedisOptions = {}): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    options.bin ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = tailOutput(child);
  const { stop, died } = supervise(child, 'redis-server');
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not run redis-server (${error.message}); install it, or set REDIS_URL`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output()}`)));
  });
  await Promise.race([waitUntil('redis-server', () => ping(port), 15_000), failed]);
  failed.catch(() => undefined);
  return { name: 'redis', url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop, died };
}

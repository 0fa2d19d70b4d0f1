import { createConnection } from 'node:net';
import { startStack } from '../../local/stack';

/** Whether something still accepts TCP connections on the port (a server left behind would). */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('the local stack (npm start)', () => {
  it('serves the seeded stores through the real handlers, and stop() leaves nothing listening', async () => {
    // startStack points process.env at its own services; give the next test file in this worker the old values.
    const savedEnv = { ...process.env };
    const lines: string[] = [];
    const stack = await startStack({ apiPort: 0, mqPort: 0, wechatPort: 0, writeEnvFile: false, quiet: true, log: (line) => lines.push(line) });
    try {
      const response = await fetch(`${stack.apiUrl}/stores`);
      const body = (await response.json()) as { items: Array<{ id: string }> };
      expect(response.status).toBe(200);
      expect(body.items.map((s) => s.id)).toEqual(expect.arrayContaining(['store-001', 'store-002', 'store-003']));
      expect(lines.some((l) => l.startsWith('Scheduled') && l.includes('newUserCouponConsumer'))).toBe(true);
    } finally {
      await stack.stop();
      process.env = savedEnv;
    }
    const endpoints = [stack.apiUrl, stack.env.DYNAMODB_ENDPOINT, stack.env.REDIS_URL, stack.env.MQ_ENDPOINT, stack.env.WX_API_BASE_URL] as string[];
    expect(await Promise.all(endpoints.map(listening))).toEqual(endpoints.map(() => false));
  });
});

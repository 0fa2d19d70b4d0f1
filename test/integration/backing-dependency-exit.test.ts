import { createConnection } from 'node:net';
import { startBacking, type Backing } from '../../local/services/backing';
import type { ServiceExit } from '../../local/services/child-process';

/** Whether something still accepts TCP connections at the URL's port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const alive = (pid: number | undefined) => {
  try {
    process.kill(pid as number, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a backing dependency that dies while the stack runs (npm start stops everything, naming it)', () => {
  it('redis-server killed: every other service is stopped, then the exit is reported with its name and signal', async () => {
    let report: (exit: ServiceExit) => void = () => undefined;
    const reported = new Promise<ServiceExit>((resolve) => (report = resolve));
    const backing: Backing = await startBacking({ quiet: true, onDependencyExit: (exit) => report(exit) });
    const [redis, dynamo] = ['redis', 'dynamodb'].map((name) => backing.services.find((service) => service.name === name));
    const urls = [backing.env.DYNAMODB_ENDPOINT, backing.env.MQ_ENDPOINT, backing.env.WX_API_BASE_URL] as string[];
    try {
      expect(await Promise.all(urls.map(listening))).toEqual([true, true, true]);
      process.kill(redis?.pid as number, 'SIGKILL');
      expect(await reported).toEqual({ name: 'redis-server', code: null, signal: 'SIGKILL' });
      // Reported only once the rest is down: DynamoDB Local's java is gone and nothing listens any more.
      expect(alive(dynamo?.pid)).toBe(false);
      expect(await Promise.all(urls.map(listening))).toEqual([false, false, false]);
      expect(backing.services).toEqual([]);
    } finally {
      await backing.stop();
    }
  });

  it('a deliberate stop() reports nothing', async () => {
    const exits: ServiceExit[] = [];
    const backing = await startBacking({ quiet: true, dynamoEndpoint: process.env.DYNAMODB_ENDPOINT, onDependencyExit: (exit) => exits.push(exit) });
    const redis = backing.services.find((service) => service.name === 'redis');
    await backing.stop();
    expect(alive(redis?.pid)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exits).toEqual([]);
  });
});

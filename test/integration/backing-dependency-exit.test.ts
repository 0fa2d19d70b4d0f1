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

/** The exit report, or a failure after `ms`: a report that never comes must fail the test, and `finally` still stop the rest. */
function reportedWithin(reported: Promise<ServiceExit>, ms = 15_000): Promise<ServiceExit> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no dependency exit reported within ${ms} ms`)), ms)));
  return Promise.race([reported, late]).finally(() => clearTimeout(timer));
}

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
      expect(await reportedWithin(reported)).toEqual({ name: 'redis-server', code: null, signal: 'SIGKILL' });
      // Reported only once the rest is down: DynamoDB Local's java is gone and nothing listens any more.
      expect(alive(dynamo?.pid)).toBe(false);
      expect(await Promise.all(urls.map(listening))).toEqual([false, false, false]);
      expect(backing.services).toEqual([]);
    } finally {
      await backing.stop();
    }
  });

  it('DynamoDB Local killed: every other service is stopped, then the exit is reported with its name and signal', async () => {
    let report: (exit: ServiceExit) => void = () => undefined;
    const reported = new Promise<ServiceExit>((resolve) => (report = resolve));
    const backing: Backing = await startBacking({ quiet: true, onDependencyExit: (exit) => report(exit) });
    const [redis, dynamo] = ['redis', 'dynamodb'].map((name) => backing.services.find((service) => service.name === name));
    const urls = [backing.env.REDIS_URL, backing.env.MQ_ENDPOINT, backing.env.WX_API_BASE_URL] as string[];
    try {
      expect(await Promise.all(urls.map(listening))).toEqual([true, true, true]);
      process.kill(dynamo?.pid as number, 'SIGKILL');
      // npm start prints "DynamoDB Local exited (signal SIGKILL) while the stack was running: ..." from this.
      expect(await reportedWithin(reported)).toEqual({ name: 'DynamoDB Local', code: null, signal: 'SIGKILL' });
      // Reported only once the rest is down: redis-server is gone and nothing listens any more.
      expect(alive(redis?.pid)).toBe(false);
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

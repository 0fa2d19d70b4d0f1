import type { ChildProcess } from 'node:child_process';

/** A child that ended without being asked to: its display name and how it ended. */
export type ServiceExit = { name: string; code: number | null; signal: NodeJS.Signals | null };

/** A server the local stack or the test harness started, and how to stop it. */
export type RunningService = {
  name: string;
  url: string;
  port: number;
  /** The child's process id, for tests that freeze (SIGSTOP) or kill a dependency; absent for in-process servers. */
  pid?: number;
  stop(): Promise<void>;
  /** Settles when the child process ends without stop() having been called; never otherwise. */
  died?: Promise<ServiceExit>;
};

const children = new Set<ChildProcess>();

// A crash of the parent must not leave java or redis-server running: kill every child on the way out.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export type Supervised = { stop(): Promise<void>; died: Promise<ServiceExit> };

/** Tracks a child so that it is killed when this process exits; stop() waits for its end, `died` reports any other end. */
export function supervise(child: ChildProcess, name: string): Supervised {
  children.add(child);
  let exited = child.exitCode !== null;
  let stopping = false;
  let reportDeath: (exit: ServiceExit) => void = () => undefined;
  const died = new Promise<ServiceExit>((resolve) => (reportDeath = resolve));
  const exit = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', (code, signal) => {
      exited = true;
      children.delete(child);
      if (!stopping) reportDeath({ name, code, signal });
      resolve();
    });
  });
  const stop = async () => {
    stopping = true;
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
    if (!exited) throw new Error(`${name} did not stop`);
  };
  return { stop, died };
}

/** supervise() for callers that only stop the child. */
export const superviseChild = (child: ChildProcess, name: string): (() => Promise<void>) => supervise(child, name).stop;

/** Keeps the last lines a child wrote, to explain a failed start. */
export function tailOutput(child: ChildProcess, maxLines = 20): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - maxLines));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

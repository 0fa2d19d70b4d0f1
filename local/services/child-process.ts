import type { ChildProcess } from 'node:child_process';

/** A server the local stack or the test harness started, and how to stop it. */
export type RunningService = {
  name: string;
  url: string;
  port: number;
  /** The child's process id, for tests that freeze (SIGSTOP) or kill a dependency; absent for in-process servers. */
  pid?: number;
  stop(): Promise<void>;
};

const children = new Set<ChildProcess>();

// A crash of the parent must not leave java or redis-server running: kill every child on the way out.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Tracks a child so that it is killed when this process exits, and returns a stop() that waits for its end. */
export function superviseChild(child: ChildProcess, name: string): () => Promise<void> {
  children.add(child);
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', () => {
      exited = true;
      children.delete(child);
      resolve();
    });
  });
  return async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
    if (!exited) throw new Error(`${name} did not stop`);
  };
}

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

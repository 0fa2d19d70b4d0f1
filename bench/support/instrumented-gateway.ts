// A second local API gateway, in a child process, whose handlers reach their dependencies through counting proxies.
// The handler modules read their endpoints once at load, so one process cannot serve both ways: the benchmark times
// requests through a gateway of its own that talks to the services directly, and counts round trips through this one.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { superviseChild } from '../../local/services/child-process';

export type InstrumentedGateway = { url: string; stop(): Promise<void> };

/** `env` is laid over this process's environment (give it `throughProxies(proxies)`). */
export async function spawnInstrumentedGateway(env: Record<string, string>): Promise<InstrumentedGateway> {
  // process.execArgv carries tsx's loader, so the child runs TypeScript too.
  const child = spawn(process.execPath, [...process.execArgv, join(__dirname, 'gateway-child.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = superviseChild(child, 'instrumented gateway');
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const line = output.split('\n')[0];
        if (output.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`instrumented gateway exited with ${code}`)));
      child.once('error', reject);
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Cold starts in fresh Node processes: `node -e "require(bundle)"` against a bare `node -e 0`, many runs of each,
// interleaved in a shuffled order so that a busy moment of the machine falls on all of them alike; medians.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { summarize } from './stats';

export type Subject = {
  name: string;
  /** The bundle to require; undefined for the bare Node process. */
  file?: string;
  /** Fail unless the bundle exports `handler` (a function's does, a floor's does not). */
  exportsHandler?: boolean;
  cwd: string;
  env: Record<string, string>;
};

export type Sample = { wallMs: number; cpuMs: number };

/** Reports the process's CPU time on exit; the same for every subject, so that it cancels out of the ratios. */
const REPORT_CPU = 'process.stdout.write(JSON.stringify(process.cpuUsage()))';

/** `node -e 0` plus the report, or a require that fails unless the module exports a handler function. */
function script(subject: Subject): string {
  if (!subject.file) return `0;${REPORT_CPU}`;
  const check = subject.exportsHandler ? "if(typeof m.handler!=='function')throw new Error('no handler export');" : '';
  return `const m=require(${JSON.stringify(subject.file)});${check}${REPORT_CPU}`;
}

/** One fresh process: wall time from spawn to exit, as the parent saw it, and the CPU time it reported. */
export function runOnce(subject: Subject): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', script(subject)], { cwd: subject.cwd, env: subject.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${subject.name} exited with ${code}:\n${stderr.trim().split('\n').slice(-8).join('\n')}`));
      const { user, system } = JSON.parse(stdout) as { user: number; system: number };
      resolve({ wallMs, cpuMs: (user + system) / 1000 });
    });
  });
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export type Medians = { wallMs: number; cpuMs: number; runs: number };

/**
 * `runs` rounds; in each, every subject once and the bare process several times, in a fresh random order, one process
 * at a time. Returns each subject's medians, and the bare process's under the name `bare`.
 */
export async function measureInterleaved(subjects: Subject[], bare: Subject, runs: number, onRound?: (round: number) => void): Promise<Map<string, Medians>> {
  const samples = new Map<string, Sample[]>();
  const bareEachRound = Math.max(3, Math.ceil(subjects.length / 8));
  for (let round = 1; round <= runs; round++) {
    const order = shuffled([...subjects, ...Array.from({ length: bareEachRound }, () => bare)]);
    for (const subject of order) {
      const sample = await runOnce(subject);
      samples.set(subject.name, [...(samples.get(subject.name) ?? []), sample]);
    }
    onRound?.(round);
  }
  return new Map(
    [...samples].map(([name, list]) => [name, { wallMs: summarize(list.map((s) => s.wallMs)).p50, cpuMs: summarize(list.map((s) => s.cpuMs)).p50, runs: list.length }]),
  );
}

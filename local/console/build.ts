import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../gateway/routes';
import { CONSOLE_DIR, CONSOLE_DIST } from './paths';

/** What the build reads: a change to any of these makes console/dist stale. */
const SOURCES = ['src', 'index.html', 'vite.config.mts'].map((name) => join(CONSOLE_DIR, name));

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** True when console/dist exists and was built after the last change to its sources. */
export function consoleBuildIsCurrent(): boolean {
  const page = join(CONSOLE_DIST, 'index.html');
  return existsSync(page) && statSync(page).mtimeMs >= Math.max(...SOURCES.map(newestChange));
}

function viteBuild(outDir: string): Promise<void> {
  const vite = join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', CONSOLE_DIR, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build of the console exited with ${code}`))));
  });
}

/**
 * Builds the console when console/dist is missing or older than its sources (about a second), so that `npm start`
 * and the browser tests always serve the current console. The build goes to a folder of its own and then takes
 * dist's place, so that nobody ever serves a half-written folder.
 */
export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<'current' | 'built'> {
  if (consoleBuildIsCurrent()) return 'current';
  const startedAt = Date.now();
  const outDir = join(CONSOLE_DIR, `.build-${process.pid}-${startedAt}`);
  const oldDir = `${outDir}-old`;
  try {
    await viteBuild(outDir);
    // Another process (a second jest worker) may have put the same build in place meanwhile: keep theirs, which
    // may be serving already. Otherwise two renames, so that dist is missing for an instant only.
    if (!consoleBuildIsCurrent()) {
      if (existsSync(CONSOLE_DIST)) renameSync(CONSOLE_DIST, oldDir);
      renameSync(outDir, CONSOLE_DIST);
    }
  } catch (error) {
    if (!consoleBuildIsCurrent()) throw error;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(oldDir, { recursive: true, force: true });
  }
  log(`console built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return 'built';
}

// `npm run test:reliability`: the whole reliability campaign (docs/reliability.md). Jest runs every fault point,
// the long fuzz, abuse and the outages on two workers; then the load run alone (its latencies mean nothing beside
// other work); then the table is printed and written to bench/results/reliability.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignReport } from './report';

const root = join(__dirname, '..', '..');
const resultsDir = mkdtempSync(join(tmpdir(), 'wx-shop-reliability-'));
const env = { ...process.env, RELIABILITY_CAMPAIGN: 'full', RELIABILITY_RESULTS_DIR: resultsDir };

function jest(args: string[]): boolean {
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.reliability.config.js', ...args], { cwd: root, env, stdio: 'inherit' });
  return run.status === 0;
}

const startedAt = new Date();
const failedParts: string[] = [];
if (!jest(['--testPathIgnorePatterns', '/node_modules/', 'load\\.campaign\\.ts$'])) failedParts.push('fault matrix, fuzz, abuse, outages');
// The stack's consumers long-poll for their whole budget after the run; nothing of theirs is waited for.
if (!jest(['--runInBand', '--forceExit', 'test/reliability/load.campaign.ts'])) failedParts.push('load');

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const { table, markdown } = campaignReport(resultsDir, { startedAt, durationMs: Date.now() - startedAt.getTime(), commit, failedParts });
const out = join(root, 'bench', 'results', 'reliability.md');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(out, markdown);
rmSync(resultsDir, { recursive: true, force: true });
console.log(`\n${table}\n\nWritten to bench/results/reliability.md${failedParts.length ? `; FAILED: ${failedParts.join(', ')}` : ''}`);
process.exit(failedParts.length === 0 ? 0 : 1);

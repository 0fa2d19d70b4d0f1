// `npm run test:reliability`: the whole reliability campaign (docs/reliability.md). Jest runs every fault point,
// the long fuzz, abuse and the outages on two workers; then the load run alone (its latencies mean nothing beside
// other work); then the table is printed and written to bench/results/reliability.md.
//
// `npm run test:reliability -- --only outages` (or `--only matrix,fuzz`...) runs those parts alone: the table is
// printed and written to a file in the system's temporary folder, never over bench/results/reliability.md, which
// stays the last full run's.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignReport } from './report';

/** The campaign's parts and their files under test/reliability (the load run's is run alone, after the others). */
const PARTS = {
  matrix: '/test/reliability/(matrix-[^/]*|invariants|reward-coupon)\\.test\\.ts$',
  fuzz: '/test/reliability/fuzz\\.test\\.ts$',
  abuse: '/test/reliability/abuse\\.campaign\\.ts$',
  outages: '/test/reliability/outages\\.campaign\\.ts$',
  load: '/test/reliability/load\\.campaign\\.ts$',
} as const;
type Part = keyof typeof PARTS;

function selectedParts(argv: string[]): Part[] | undefined {
  const at = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  if (at === -1) return undefined;
  const value = argv[at]!.startsWith('--only=') ? argv[at]!.slice('--only='.length) : argv[at + 1];
  const parts = (value ?? '').split(',').filter(Boolean);
  const unknown = parts.filter((part) => !Object.hasOwn(PARTS, part));
  if (parts.length === 0 || unknown.length > 0) {
    console.error(`--only takes a comma-separated list of ${Object.keys(PARTS).join(', ')}; got "${value ?? ''}"`);
    process.exit(2);
  }
  return parts as Part[];
}

const root = join(__dirname, '..', '..');
const only = selectedParts(process.argv.slice(2));
const resultsDir = mkdtempSync(join(tmpdir(), 'wx-shop-reliability-'));
const env = { ...process.env, RELIABILITY_CAMPAIGN: 'full', RELIABILITY_RESULTS_DIR: resultsDir };

function jest(args: string[]): boolean {
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.reliability.config.js', ...args], { cwd: root, env, stdio: 'inherit' });
  return run.status === 0;
}

const startedAt = new Date();
const failedParts: string[] = [];
if (!only) {
  if (!jest(['--testPathIgnorePatterns', '/node_modules/', 'load\\.campaign\\.ts$'])) failedParts.push('fault matrix, fuzz, abuse, outages');
} else {
  const together = only.filter((part) => part !== 'load');
  if (together.length > 0 && !jest(together.map((part) => PARTS[part]))) failedParts.push(together.join(', '));
}
// The stack's consumers long-poll for their whole budget after the run; nothing of theirs is waited for.
if ((!only || only.includes('load')) && !jest(['--runInBand', '--forceExit', 'test/reliability/load.campaign.ts'])) failedParts.push('load');

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const { table, markdown } = campaignReport(resultsDir, { startedAt, durationMs: Date.now() - startedAt.getTime(), commit, failedParts, only });
// A partial run never replaces the full run's report.
const out = only ? join(tmpdir(), `wx-shop-reliability-${only.join('-')}-${startedAt.toISOString().replace(/[:.]/g, '-')}.md`) : join(root, 'bench', 'results', 'reliability.md');
const shown = only ? out : 'bench/results/reliability.md';
if (!only) mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(out, markdown);
rmSync(resultsDir, { recursive: true, force: true });
console.log(`\n${table}\n\nWritten to ${shown}${failedParts.length ? `; FAILED: ${failedParts.join(', ')}` : ''}`);
process.exit(failedParts.length === 0 ? 0 : 1);

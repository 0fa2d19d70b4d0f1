import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `full` under `npm run test:reliability` (jest.reliability.config.js); `quick` inside `npm test`. */
export const campaignMode = (): 'quick' | 'full' => (process.env.RELIABILITY_CAMPAIGN === 'full' ? 'full' : 'quick');

/** One line of the campaign's table. Counts that do not apply to a scenario stay undefined (shown as `-`). */
export type CampaignRow = {
  scenario: string;
  faultPoints?: number;
  badInputs?: number;
  requests?: number;
  violations: number;
  dataLost: number;
  /** Time from the dependency's return to the first success and to full recovery, for outages. */
  recovery?: string;
  notes?: string;
};

/** A markdown section printed after the table (latency per route, per-flow details). */
export type CampaignSection = { title: string; markdown: string };

const resultsDir = () => process.env.RELIABILITY_RESULTS_DIR;

function write(kind: string, value: unknown): void {
  const dir = resultsDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${kind}-${randomUUID()}.json`), JSON.stringify(value));
}

/** Keeps a row for the campaign's report (only under `npm run test:reliability`; `npm test` keeps nothing). */
export const recordRow = (row: CampaignRow): void => write('row', row);
export const recordSection = (section: CampaignSection): void => write('section', section);

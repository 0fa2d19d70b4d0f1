import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { CampaignRow, CampaignSection } from './results';

const cell = (value: number | string | undefined) => (value === undefined || value === '' ? '-' : String(value));

function read(dir: string): { rows: CampaignRow[]; sections: CampaignSection[] } {
  const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  const parse = (prefix: string) => files.filter((name) => name.startsWith(prefix)).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
  const order = (row: CampaignRow) => ['fault matrix', 'outage', 'fuzz', 'abuse', 'load'].findIndex((kind) => row.scenario.startsWith(kind));
  return { rows: (parse('row-') as CampaignRow[]).sort((a, b) => order(a) - order(b) || a.scenario.localeCompare(b.scenario)), sections: parse('section-') };
}

const sum = (rows: CampaignRow[], key: 'faultPoints' | 'badInputs' | 'requests' | 'violations' | 'dataLost') => rows.reduce((n, row) => n + (row[key] ?? 0), 0);

/** The campaign's table (markdown), with a totals line. */
export function campaignTable(rows: CampaignRow[]): string {
  const lines = rows.map((r) => `| ${r.scenario} | ${cell(r.faultPoints)} | ${cell(r.badInputs)} | ${cell(r.requests)} | ${r.violations} | ${r.dataLost} | ${cell(r.recovery)} | ${cell(r.notes)} |`);
  const total = `| **total** | **${sum(rows, 'faultPoints')}** | **${sum(rows, 'badInputs')}** | **${sum(rows, 'requests')}** | **${sum(rows, 'violations')}** | **${sum(rows, 'dataLost')}** | | |`;
  return ['| Scenario | Fault points injected | Bad inputs tried | Requests | Invariant violations | Data lost | Recovery after the dependency returns | Notes |', '|---|---:|---:|---:|---:|---:|---|---|', ...lines, total].join('\n');
}

/** `only`: the parts a partial run (`--only`) ran; absent for the whole campaign. */
export type RunFacts = { startedAt: Date; durationMs: number; commit: string; failedParts: string[]; only?: string[] };

/** The whole report: what ran where, the table, then the sections the scenarios added (latency per route...). */
export function campaignReport(dir: string, facts: RunFacts): { table: string; markdown: string } {
  const { rows, sections } = read(dir);
  const table = campaignTable(rows);
  const outcome = facts.failedParts.length === 0 ? 'every part passed' : `FAILED: ${facts.failedParts.join(', ')}`;
  const markdown = [
    facts.only ? `# Reliability and security campaign: partial run (${facts.only.join(', ')} only)` : '# Reliability and security campaign: last full run',
    '',
    facts.only
      ? `Written by \`npm run test:reliability -- --only ${facts.only.join(',')}\` (test/reliability/run-campaign.ts): these parts alone, not the whole campaign; how to read it: docs/reliability.md.`
      : `Written by \`npm run test:reliability\` (test/reliability/run-campaign.ts); how to read it: [docs/reliability.md](../../docs/reliability.md).`,
    '',
    `- Run: ${facts.startedAt.toISOString()}, commit \`${facts.commit}\`, ${Math.round(facts.durationMs / 1000)} s, ${outcome}.`,
    `- Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (other work shared the machine).`,
    '',
    table,
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
  ].join('\n');
  return { table, markdown };
}

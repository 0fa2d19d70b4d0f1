// Prints the size of every function's deployment zip (after `npx serverless package`) and fails when one is over
// the budget. Run: npx tsx bench/bundle-sizes.ts
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET_BYTES = 1024 * 1024;
const dir = join(__dirname, '..', '.serverless');

const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
if (zips.length === 0) {
  console.error('no zips in .serverless/: run `npx serverless package` first');
  process.exit(1);
}
let over = 0;
for (const zip of zips.sort()) {
  const size = statSync(join(dir, zip)).size;
  if (size > BUDGET_BYTES) over++;
  console.log(`${zip.padEnd(36)} ${(size / 1024).toFixed(0).padStart(6)} KiB  ${((size / BUDGET_BYTES) * 100).toFixed(0).padStart(3)}% of 1 MiB${size > BUDGET_BYTES ? '  OVER BUDGET' : ''}`);
}
console.log(`${zips.length} functions, ${over} over the 1 MiB budget`);
process.exit(over > 0 ? 1 : 0);

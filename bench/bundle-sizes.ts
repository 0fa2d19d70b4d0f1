// Prints the size of every function's deployment zip after `npx serverless package` (with and without its source
// map) and fails when one is over the budget (bench/support/budgets.ts), a quick check for CI. The budget test
// (test/budgets/bundles.test.ts) enforces the same on the prod package and checks which clients each bundle carries.
// Run: npx tsx bench/bundle-sizes.ts [package dir, default .serverless]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ZIP_BUDGET_BYTES } from './support/budgets';
import { PROJECT_ROOT } from './support/packaging';
import { zipSizes } from './support/zip';

const dir = process.argv[2] ?? join(PROJECT_ROOT, '.serverless');
const kb = (bytes: number) => (bytes / 1000).toFixed(1).padStart(7);

const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
if (zips.length === 0) {
  console.error(`no zips in ${dir}: run \`npx serverless package\` first`);
  process.exit(1);
}
let over = 0;
console.log(`${'zip'.padEnd(36)}      KB  no map  % of ${ZIP_BUDGET_BYTES / 1000} KB`);
for (const zip of zips.sort()) {
  const { bytes, sourceMap } = zipSizes(join(dir, zip));
  if (bytes > ZIP_BUDGET_BYTES) over++;
  console.log(`${zip.padEnd(36)} ${kb(bytes)} ${kb(bytes - sourceMap)}  ${((bytes / ZIP_BUDGET_BYTES) * 100).toFixed(0).padStart(4)}%${bytes > ZIP_BUDGET_BYTES ? '  OVER BUDGET' : ''}`);
}
console.log(`${zips.length} functions, ${over} over the ${ZIP_BUDGET_BYTES / 1000} KB budget (source map included)`);
process.exit(over > 0 ? 1 : 0);

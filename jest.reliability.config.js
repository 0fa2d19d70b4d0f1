// The whole reliability campaign (docs/reliability.md): every fault point of every flow, the long fuzz, abuse,
// outages and the load run. `npm run test:reliability` runs it through test/reliability/run-campaign.ts, which also
// writes bench/results/reliability.md; `npm test` runs only the quick part (test/reliability/*.test.ts).
process.env.RELIABILITY_CAMPAIGN ??= 'full';
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  testMatch: ['**/*.test.ts', '**/*.campaign.ts'],
  testTimeout: 30 * 60_000,
};

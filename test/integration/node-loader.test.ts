import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';

// `npm start` runs the functions under tsx, through Node's own module loader, where jest compiles everything to
// CommonJS: a CommonJS package loaded with import() shows its exports only as `default` there. This publishes through
// the real adapter in such a process, against the jest run's broker, so that the difference cannot break the local
// stack unnoticed again (it once made every consumer of `npm start` fail with "MQClient is not a constructor").
const root = join(__dirname, '..', '..');

it('publishes through the MQ adapter when loaded by Node itself, as npm start loads it', async () => {
  const script = `
    const { rocketmqPublisher } = require(${JSON.stringify(join(root, 'shared/adapters/rocketmq/publisher.ts'))});
    rocketmqPublisher.publish('StoreUpdated', { storeId: 'store-001', updatedAt: new Date().toISOString() })
      .then(({ messageId }) => console.log('published ' + messageId), (error) => { console.error(String(error) + ' ' + (error.detail ?? '')); process.exit(1); });`;
  // Not spawnSync: the jest run's broker may live in this very process and must keep answering.
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: process.env, encoding: 'utf8', timeout: 30_000 });
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^published [0-9A-F]+/m);
});

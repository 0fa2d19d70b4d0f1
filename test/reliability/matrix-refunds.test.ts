import { flows } from './flows';
import { runFlow } from './matrix';
import { campaignMode } from './results';
import { World } from './world';

// The fault matrix for transactional messages (refunds, finishing an order, their check-back) and order notices.
let world: World;
beforeAll(async () => {
  world = await World.start();
}, 60_000);
afterAll(() => world.stop());

const timeout = campaignMode() === 'full' ? 30 * 60_000 : 90_000;

describe('fault matrix', () => {
  it.each([flows.refund, flows.checkBackCommits, flows.checkBackRollsBack, flows.finishAndReward, flows.notices])(
    '$name keeps every invariant whichever I/O step fails, however it fails',
    async (flow) => {
      const report = await runFlow(world, flow);
      expect(report.failures).toEqual([]);
      expect(report.notReached).toEqual([]);
      expect(report.injected).toBe(report.planned);
    },
    timeout,
  );
});

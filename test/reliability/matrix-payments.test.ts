import { flows } from './flows';
import { runFlow } from './matrix';
import { campaignMode } from './results';
import { World } from './world';

// The fault matrix for the payment webhook (a payment, and one that lands after a cancellation) and for confirming.
let world: World;
beforeAll(async () => {
  world = await World.start();
}, 60_000);
afterAll(() => world.stop());

const timeout = campaignMode() === 'full' ? 30 * 60_000 : 90_000;

describe('fault matrix', () => {
  it.each([flows.payCallback, flows.payAfterCancel, flows.confirm])(
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

import { fakeContext } from '../testing/lambda';
import { pollBudget } from './mq-consumer';

describe('pollBudget', () => {
  it('polls the whole function budget less the reserve for a scheduled event', () => {
    const remaining = pollBudget({ 'detail-type': 'Scheduled Event' }, fakeContext('f', 70_000), 5_000)();
    expect(remaining).toBeGreaterThan(64_000);
    expect(remaining).toBeLessThanOrEqual(65_000);
  });

  it('polls only as long as an event with pollSeconds asks (local invocation), never past the function budget', () => {
    expect(pollBudget({ pollSeconds: 3 }, fakeContext('f', 70_000), 5_000)()).toBeLessThanOrEqual(3_000);
    expect(pollBudget({ pollSeconds: 3 }, fakeContext('f', 70_000), 5_000)()).toBeGreaterThan(2_900);
    expect(pollBudget({ pollSeconds: 300 }, fakeContext('f', 10_000), 5_000)()).toBeLessThanOrEqual(5_000);
    expect(pollBudget({ pollSeconds: 'x' }, fakeContext('f', 10_000), 5_000)()).toBeGreaterThan(4_900);
  });
});

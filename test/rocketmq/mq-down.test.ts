import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { MqUnavailableError } from '../../shared/ports/messaging';

let mq: PrivateMq;
beforeAll(async () => {
  mq = await startPrivateMq();
  await mq.stop();
});
afterAll(() => mq.restoreEnv());

const now = () => new Date().toISOString();

describe('RocketMQ adapters with the MQ down', () => {
  it('throw MqUnavailableError from publish, half publish and receive, quickly', async () => {
    const { rocketmqPublisher } = await import('../../shared/adapters/rocketmq/publisher');
    const { rocketmqTxPublisher } = await import('../../shared/adapters/rocketmq/tx-publisher');
    const { rocketmqSource } = await import('../../shared/adapters/rocketmq/source');
    const started = Date.now();

    await expect(rocketmqPublisher.publish('StoreUpdated', { storeId: 's', updatedAt: now() })).rejects.toBeInstanceOf(MqUnavailableError);
    await expect(rocketmqTxPublisher.publishHalf('OrderFinished', { orderId: 'o', userId: 'u', finishedAt: now() }, { checkBackAfterSeconds: 10 })).rejects.toMatchObject({
      code: 'MQ_UNAVAILABLE',
    });
    await expect(rocketmqSource({ group: 'storeCache', messages: ['StoreUpdated'] }).receive(1, 1)).rejects.toBeInstanceOf(MqUnavailableError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

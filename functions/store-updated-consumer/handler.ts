// Consumer of StoreUpdated (scheduled long-poll of the store topic, or a batch of messages as the event).
import { mqConsumer } from '../../shared/lambda/mq-consumer';
import { rocketmqSource } from '../../shared/adapters/rocketmq/source';
import { storeCatalog } from '../../shared/composition/catalog';
import { refreshStoreCache } from '../../shared/use-cases/catalog/edit-store';

const deps = { cache: storeCatalog };

export const handler = mqConsumer({
  consumer: 'storeUpdatedConsumer',
  messages: ['StoreUpdated'],
  source: () => rocketmqSource({ group: 'storeCache', messages: ['StoreUpdated'] }),
  handle: ({ body }) => refreshStoreCache(deps, { storeId: body.storeId }),
});

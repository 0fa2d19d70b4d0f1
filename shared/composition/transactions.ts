import { rocketmqTxPublisher } from '../adapters/rocketmq/tx-publisher';
import { transactionConfig } from '../config/refunds';

/** The transactional publisher and when the MQ starts checking back on an undecided half message. */
export const txDeps = { tx: rocketmqTxPublisher, checkBackAfterSeconds: transactionConfig().TX_CHECK_BACK_AFTER_SECONDS };

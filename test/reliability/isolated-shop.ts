import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal, localDynamoClient } from '../../local/services/dynamodb-local';
import { createTables } from '../../local/services/tables';
import { seed } from '../../local/services/seed';
import type { RunningService } from '../../local/services/child-process';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';
import { tableKeys, tableName } from '../../shared/config/tables';
import { startApi } from '../support/api';
import { overrideEnv } from '../support/env';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { startPrivateWechat, type PrivateWechat } from '../support/private-wechat';
import { newShopper } from '../support/shop';
import { waitFor } from '../support/wechat-pay';

export type Shopper = { token: string; userId: string; openid: string; waitPay: string; paid: string };

/**
 * A shop of the test file's own, so that "nothing changed" can be checked over whole tables: a private DynamoDB Local
 * (tables and seed data), broker and WeChat stand-in, the local gateway serving the real handlers, and two shoppers
 * (A and B) who each hold an unpaid and a paid order, plus a session of A's that has expired.
 */
export class IsolatedShop {
  private constructor(
    private readonly dynamo: RunningService,
    private readonly db: DynamoDBDocumentClient,
    readonly mq: PrivateMq,
    readonly wechat: PrivateWechat,
    readonly api: Awaited<ReturnType<typeof startApi>>,
    private readonly restoreEnv: () => void,
  ) {}

  a!: Shopper;
  b!: Shopper;
  expiredToken!: string;
  readonly adminKey = LOCAL_ADMIN_API_KEY;
  readonly storeId = 'store-001';

  static async start(): Promise<IsolatedShop> {
    const dynamo = await startDynamoLocal();
    const client = localDynamoClient(dynamo.url);
    // A namespace of its own: the jest run's Redis may hold other files' cached stores under the seed's ids.
    const restoreEnv = overrideEnv({ DYNAMODB_ENDPOINT: dynamo.url, STORE_CACHE_NAMESPACE: `isolated-${randomUUID()}`, ADMIN_API_KEY: LOCAL_ADMIN_API_KEY });
    await createTables(client);
    const db = DynamoDBDocumentClient.from(client);
    await seed(db);
    const mq = await startPrivateMq({ invisibilitySeconds: 1 });
    const wechat = await startPrivateWechat();
    const shop = new IsolatedShop(dynamo, db, mq, wechat, await startApi(), restoreEnv);
    [shop.a, shop.b] = await Promise.all([shop.shopper(), shop.shopper()]);
    shop.expiredToken = await shop.expiredSession(shop.a);
    await shop.quiesce();
    return shop;
  }

  private async shopper(): Promise<Shopper> {
    const { call } = this.api;
    const who = await newShopper(call);
    const order = async () => (await call('POST', '/orders', { token: who.token, body: { requestId: randomUUID(), storeId: this.storeId, items: [{ productId: 'latte', quantity: 1 }] } })).body.id as string;
    const [waitPay, paid] = await Promise.all([order(), order()]);
    await call('POST', `/orders/${paid}/pay`, { token: who.token });
    await this.wechat.sandbox.pay(paid);
    await waitFor(() => this.row('orders', { orderId: paid }), (row) => row?.status === 'PAID');
    return { ...who, waitPay, paid };
  }

  /** A well-formed token whose session expired a minute ago. */
  private async expiredSession(of: Shopper): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() - 60_000).toISOString();
    const item = { tokenHash: createHash('sha256').update(token).digest('hex'), userId: of.userId, openid: of.openid, sessionKey: 'expired-session-key', expiresAt };
    await this.db.send(new PutCommand({ TableName: tableName('sessions'), Item: item }));
    return token;
  }

  private async row(table: 'orders', key: Record<string, string>) {
    const { Items } = await this.db.send(new ScanCommand({ TableName: tableName(table), ConsistentRead: true }));
    return Items?.find((item) => Object.entries(key).every(([name, value]) => item[name] === value));
  }

  /** Every item of every table, in a stable order: two snapshots are equal when nothing was written in between. */
  async tables(): Promise<Record<string, string[]>> {
    const entries = await Promise.all(
      tableKeys.map(async (key) => {
        const items: string[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(new ScanCommand({ TableName: tableName(key), ExclusiveStartKey: start, ConsistentRead: true }));
          items.push(...(page.Items ?? []).map((item) => JSON.stringify(item, Object.keys(item).sort())));
          start = page.LastEvaluatedKey;
        } while (start);
        return [key, items.sort()] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Waits until the fixture's background writes (outbox marks after a publish) have landed: two equal snapshots. */
  async quiesce(): Promise<void> {
    let previous = JSON.stringify(await this.tables());
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const current = JSON.stringify(await this.tables());
      if (current === previous) return;
      previous = current;
    }
  }

  /** What the MQ and WeChat hold that a request could have changed: messages per topic, WeChat Pay writes. */
  async outside(): Promise<string> {
    const topics = this.mq.broker.topics().map((t) => `${t.topic}:${t.messages}:${t.halfMessages}`);
    const { requests } = (await this.wechat.sandbox.stats()) as { requests: Record<string, number> };
    return JSON.stringify({ topics: topics.sort(), prepay: requests['pay.prepay'], close: requests['pay.close'], refunds: requests['refund.create'], sends: requests.subscribe_send });
  }

  async stop(): Promise<void> {
    await this.api.close();
    await this.wechat.stop();
    await this.mq.stop();
    this.mq.restoreEnv();
    this.db.destroy();
    await this.dynamo.stop();
    this.restoreEnv();
  }
}

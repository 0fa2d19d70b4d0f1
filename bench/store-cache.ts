// Handler latency of GET /stores/{storeId} for each cache level, side by side, with ratios.
// Starts its own DynamoDB Local and redis-server. Run: npx tsx bench/store-cache.ts [iterations]
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDefaults } from '../local/stack';
import { localDynamoClient, startDynamoLocal } from '../local/services/dynamodb-local';
import { startRedis } from '../local/services/redis';
import { createTables } from '../local/services/tables';
import { seed } from '../local/services/seed';
import { fakeContext, sampleEvent } from '../shared/testing/lambda';
import { publishFigures } from './support/figures';

const iterations = Number(process.argv[2] ?? 2000);

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function main() {
  Object.assign(process.env, localDefaults, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT', STORE_CACHE_CHECK_MS: '1000' });
  const [dynamo, redisServer] = await Promise.all([startDynamoLocal(), startRedis()]);
  process.env.DYNAMODB_ENDPOINT = dynamo.url;
  process.env.REDIS_URL = redisServer.url;
  const client = localDynamoClient(dynamo.url);
  await createTables(client);
  await seed(DynamoDBDocumentClient.from(client));

  const { handler } = await import('../functions/get-store/handler');
  const { storeCatalog, storeCacheConfig } = await import('../shared/composition/catalog');
  const { redis } = await import('../shared/adapters/redis/client');
  const event = sampleEvent('get-store/ok.json');
  const storeKey = `${storeCacheConfig().STORE_CACHE_NAMESPACE}:store:store-001`;

  const time = async (before: () => Promise<void> | void) => {
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      await before();
      const started = process.hrtime.bigint();
      const result = await handler(event, fakeContext('getStore'));
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (result.statusCode !== 200) throw new Error(`unexpected status ${result.statusCode}`);
    }
    return summarize(samples);
  };

  await time(() => undefined); // warm up: module init, connections, JIT
  const levels = {
    'in-process hit': await time(() => undefined),
    'Redis hit': await time(() => storeCatalog.clearLocal()),
    'DynamoDB read': await time(async () => {
      storeCatalog.clearLocal();
      await redis.del(storeKey);
    }),
  };

  const base = levels['in-process hit'].p50;
  console.log(`GET /stores/{storeId} handler latency, ${iterations} calls per level (DynamoDB Local and redis-server on loopback)`);
  console.log('level              p50 ms   p99 ms  mean ms   p50 vs in-process');
  for (const [name, s] of Object.entries(levels)) {
    console.log(`${name.padEnd(17)} ${s.p50.toFixed(3).padStart(7)}  ${s.p99.toFixed(3).padStart(7)}  ${s.mean.toFixed(3).padStart(7)}   ${(s.p50 / base).toFixed(1).padStart(6)}x`);
  }
  const redisVsDynamo = levels['DynamoDB read'].p50 / levels['Redis hit'].p50;
  console.log(`DynamoDB read / Redis hit (p50): ${redisVsDynamo.toFixed(1)}x`);
  publishFigures({
    figures: Object.entries(levels).map(([name, level]) => ({
      benchmark: 'store-cache',
      figure: `GET /stores/{id} handler, ${name}`,
      value: `p50 ${level.p50.toFixed(3)} ms, p99 ${level.p99.toFixed(3)} ms`,
      comparison: name === 'in-process hit' ? undefined : `${(level.p50 / base).toFixed(1)}x the in-process hit${name === 'DynamoDB read' ? `, ${redisVsDynamo.toFixed(1)}x a Redis hit` : ''}`,
    })),
  });

  redis.disconnect();
  client.destroy();
  await Promise.all([dynamo.stop(), redisServer.stop()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Module-level clients (one per container in Lambda) keep sockets open; close them after each test file so that a
// single-file run in band can exit.
afterAll(async () => {
  const { redis } = await import('../../shared/adapters/redis/client');
  redis.disconnect();
  const { dynamo } = await import('../../shared/adapters/dynamodb/client');
  dynamo().destroy();
});

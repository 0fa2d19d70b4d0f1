import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { receive, sdkError, unique } from './helpers';
import { MQClient } from './sdk';

const PROJECT_ROOT = join(__dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'mq-broker-cli-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

type Cli = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

/** Runs `local/mq-broker/main.ts` as `npx tsx` would, with only the given MQ_* variables set. */
function startCli(env: Record<string, string>): Cli & { ready: Promise<void> } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MQ_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/mq-broker/main.ts'], { cwd: PROJECT_ROOT, env: { ...inherited, ...env } });
  children.add(child);
  let output = '';
  const cli = { child, url: '', output: () => output } as Cli & { ready: Promise<void> };
  cli.exited = new Promise((resolve) => child.once('exit', (code) => (children.delete(child), resolve(code))));
  cli.ready = new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const started = output.split('\n').find((line) => line.includes('"mq.broker-started"'));
      if (started) {
        cli.url = (JSON.parse(started) as { url: string }).url;
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void cli.exited.then((code) => reject(new Error(`broker exited with ${code}: ${output}`)));
  });
  return cli;
}

describe('the broker CLI (local/mq-broker/main.ts)', () => {
  it('loses no acknowledged publish when killed with SIGKILL, and stops cleanly on SIGTERM', async () => {
    const env = { MQ_BROKER_PORT: '0', MQ_BROKER_DATA_DIR: dataDir, MQ_AUTO_CREATE_TOPICS: 'true' };
    const first = startCli(env);
    await first.ready;
    const topic = unique('T_crash');
    // The default credentials of main.ts.
    const producer = new MQClient(first.url, 'local-access-key', 'local-secret-key').getProducer('', topic);
    const published = await Promise.all(Array.from({ length: 20 }, (_, i) => producer.publishMessage(`m${i}`)));
    expect(published.every((p) => p.code === 201)).toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startCli(env);
    await second.ready;
    const consumer = new MQClient(second.url, 'local-access-key', 'local-secret-key').getConsumer('', topic, 'GID_crash');
    const received = await receive(() => consumer.consumeMessage(16, 1), 20);
    expect(received.map((m) => m.MessageId).sort()).toEqual(published.map((p) => p.body?.MessageId).sort());

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('"mq.broker-stopped"');
  });

  it('declares the contracts\' topics (MQ_TOPIC_* overrides) in MQ_INSTANCE_ID; other topics are TopicNotExist unless MQ_AUTO_CREATE_TOPICS=true', async () => {
    const strict = startCli({ MQ_BROKER_PORT: '0', MQ_INSTANCE_ID: 'MQ_INST_cli', MQ_TOPIC_USER: 'cli_user_topic' });
    const auto = startCli({ MQ_BROKER_PORT: '0', MQ_AUTO_CREATE_TOPICS: 'true' });
    await Promise.all([strict.ready, auto.ready]);
    const strictClient = new MQClient(strict.url, 'local-access-key', 'local-secret-key');
    expect((await strictClient.getProducer('MQ_INST_cli', 'cli_user_topic').publishMessage('x')).code).toBe(201);
    expect((await strictClient.getProducer('MQ_INST_cli', 'wx_shop_store').publishMessage('x')).code).toBe(201);
    expect((await sdkError(strictClient.getProducer('MQ_INST_cli', 'wx_shop_user').publishMessage('x'))).Code).toBe('TopicNotExist');
    expect((await sdkError(strictClient.getProducer('', 'wx_shop_store').publishMessage('x'))).Code).toBe('TopicNotExist');
    const made = await new MQClient(auto.url, 'local-access-key', 'local-secret-key').getProducer('', unique('T_cli_made_up')).publishMessage('x');
    expect(made.code).toBe(201);
    for (const cli of [strict, auto]) cli.child.kill('SIGTERM');
    await Promise.all([strict.exited, auto.exited]);
  });

  it('refuses to start with an invalid variable and names it', async () => {
    const cli = startCli({ MQ_BROKER_PORT: '0', MQ_MAX_DELIVERIES: 'many' });
    await expect(cli.ready).rejects.toThrow(/exited with 1.*MQ_MAX_DELIVERIES/s);
  });
});

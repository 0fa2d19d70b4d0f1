import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { offlineEnv, paramArgs, PROD_PARAMS } from '../../bench/support/packaging';

/**
 * `serverless package --stage prod` as an operator runs it, without cloud credentials or network, and what its
 * CloudFormation template must hold. The package is built from a copy of the working tree, so that it neither
 * races another `serverless package` over .esbuild/ nor depends on a local stack having run: the copy's
 * .local-data/stack-env.json (what `serverless invoke local` reads on the local stage) is seeded with sentinel
 * values that must not reach the prod template.
 */

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..');
const PREFIX = 'wx-shop-prod-';
const SSM_PATH = '/wx-shop/prod';
// The prod stage's params and the offline environment, as the benchmarks package the prod stage.
const PARAMS = PROD_PARAMS;
// Tables a restore would not need: sessions expire, carts are scratch, notice claims only guard against resends.
const DISPOSABLE_TABLES = ['SessionsTable', 'CartsTable', 'NoticesTable'];
// Scheduled besides the MQ consumers (found by their handlers).
const OTHER_SCHEDULED = ['outboxRelay', 'orderSweep', 'orderTxCheckBack', 'refundReconciler'];
const PRIVATE_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const NOT_COPIED = new Set(['node_modules', '.git', '.serverless', '.esbuild', '.local-data', 'coverage']);

type Resource = { Type: string; Properties: any; DependsOn?: string[]; DeletionPolicy?: string };
type Template = { Resources: Record<string, Resource> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const serverless = (cwd: string, args: string[]) => run('npx', ['serverless', ...args], { cwd, env: offlineEnv, maxBuffer: 64 * 1024 * 1024 });

/** Every key serverless.yml reads from .local-data/stack-env.json, each with a value found nowhere else. */
function sentinels(): Record<string, string> {
  const keys = [...readFileSync(join(REPO, 'serverless.yml'), 'utf8').matchAll(/stack-env\.json\):(\w+)/g)].map((m) => m[1] as string);
  return Object.fromEntries(
    keys.map((key) => [key, /PRIVATE_KEY/.test(key) ? `-----BEGIN PRIVATE KEY-----\\nsentinel${key}\\n-----END PRIVATE KEY-----` : `sentinel-${key}-4f1c9e`]),
  );
}

function serviceCopy(seeded: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wx-shop-package-'));
  cpSync(REPO, dir, { recursive: true, filter: (source) => !NOT_COPIED.has(relative(REPO, source).split('/')[0] as string) });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, '.local-data'));
  writeFileSync(join(dir, '.local-data', 'stack-env.json'), JSON.stringify(seeded));
  return dir;
}

/** The names of shared/config/secrets.ts's SecretName union. */
function secretNames(): string[] {
  const union = /export type SecretName =([^;]+);/.exec(readFileSync(join(REPO, 'shared', 'config', 'secrets.ts'), 'utf8'))?.[1] ?? '';
  return [...union.matchAll(/'(\w+)'/g)].map((m) => m[1] as string);
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

describe('the prod package', () => {
  const seeded = sentinels();
  let dir: string;
  let template: Template;
  let resources: Record<string, Resource>;
  /** function key (`login`) -> its logical id (`LoginLambdaFunction`) */
  let functions: Map<string, string>;

  const fn = (key: string) => resources[functions.get(key) as string] as Resource;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const refTo = (value: any): string | undefined => value?.Ref ?? value?.['Fn::GetAtt']?.[0];
  const statementsOf = (key: string): Statement[] =>
    (resources[refTo(fn(key).Properties.Role) as string] as Resource).Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
  const folderOf = (key: string) => (fn(key).Properties.Handler as string).split('/')[1] as string;
  const isConsumer = (key: string) => readFileSync(join(REPO, 'functions', folderOf(key), 'handler.ts'), 'utf8').includes('mqConsumer(');
  const logGroupOf = (key: string) => `${functions.get(key)?.replace(/LambdaFunction$/, '')}LogGroup`;
  const filtersOn = (key: string, metric: string) =>
    ofType('AWS::Logs::MetricFilter').filter(([, f]) => refTo(f.Properties.LogGroupName) === logGroupOf(key) && f.Properties.MetricTransformations[0].MetricName === metric);

  beforeAll(async () => {
    dir = serviceCopy(seeded);
    const out = join(dir, 'prod-package');
    await serverless(dir, ['package', '--stage', 'prod', '--package', out, ...paramArgs(PARAMS)]);
    template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    resources = template.Resources;
    functions = new Map(ofType('AWS::Lambda::Function').map(([id, r]) => [(r.Properties.FunctionName as string).slice(PREFIX.length), id]));
  }, 300_000);

  afterAll(() => {
    if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives every function a role of its own, none granting anything on every resource', () => {
    const roles = [...functions.keys()].map((key) => refTo(fn(key).Properties.Role));
    expect(functions.size).toBeGreaterThan(20);
    expect(new Set(roles).size).toBe(functions.size);
    for (const key of functions.keys()) {
      for (const statement of statementsOf(key)) {
        expect(list(statement.Resource)).not.toContain('*');
        for (const action of list(statement.Action)) expect(action).not.toMatch(/\*/);
        if (list(statement.Action).some((a) => a.startsWith('dynamodb:'))) {
          for (const resource of list(statement.Resource)) expect(JSON.stringify(resource)).toMatch(/Table/);
        }
      }
    }
  });

  it('lets a function read only its stage path of SSM, the path its environment names', () => {
    const readers = [...functions.keys()].filter((key) => statementsOf(key).some((s) => list(s.Action).some((a) => a.startsWith('ssm:'))));
    expect(readers).toEqual(expect.arrayContaining(['login', 'createOrder', 'wxpayNotify', 'orderNoticeConsumer']));
    for (const key of readers) {
      expect(fn(key).Properties.Environment.Variables.SECRETS_SSM_PATH).toBe(SSM_PATH);
      const ssm = statementsOf(key).filter((s) => list(s.Action).some((a) => a.startsWith('ssm:')));
      expect(ssm).toEqual([
        { Effect: 'Allow', Action: ['ssm:GetParametersByPath'], Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${SSM_PATH}` } },
      ]);
    }
  });

  it('holds no secret: secret variables are empty, no private key, nothing of the local stack', () => {
    const names = secretNames();
    expect(names).toEqual(expect.arrayContaining(['ADMIN_API_KEY', 'WXPAY_MERCHANT_PRIVATE_KEY']));
    for (const key of functions.keys()) {
      const variables: Record<string, unknown> = fn(key).Properties.Environment.Variables;
      for (const name of names) expect([undefined, '']).toContain(variables[name]);
      for (const value of Object.values(variables)) expect(String(value)).not.toMatch(PRIVATE_PEM);
    }
    const leaked = strings(template).filter((text) => Object.values(seeded).some((value) => text.includes(value)));
    expect(leaked).toEqual([]);
  });

  it('runs every MQ consumer every minute, and the relay, the sweep, the check-back and the reconciler on schedules', () => {
    const consumers = [...functions.keys()].filter(isConsumer);
    expect(consumers.length).toBeGreaterThanOrEqual(7);
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    const scheduleOf = (key: string) => rules.filter((r) => r.Targets.some((t: any) => refTo(t.Arn) === functions.get(key)));
    for (const key of consumers) expect(scheduleOf(key)).toEqual([expect.objectContaining({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' })]);
    for (const key of OTHER_SCHEDULED) expect(scheduleOf(key)).toEqual([expect.objectContaining({ ScheduleExpression: expect.stringMatching(/^rate\(/), State: 'ENABLED' })]);
    // Anything else must be reachable over HTTP, or it would never run.
    const routed = new Set(ofType('AWS::ApiGatewayV2::Integration').map(([, r]) => refTo(r.Properties.IntegrationUri)));
    for (const key of functions.keys()) if (scheduleOf(key).length === 0) expect(routed).toContain(functions.get(key));
  });

  it('protects every table from deletion and keeps point-in-time recovery on all but the disposable ones', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id)).toEqual(expect.arrayContaining(['OrdersTable', 'PaymentsTable', 'RefundsTable', 'UserCouponsTable', ...DISPOSABLE_TABLES]));
    for (const [id, table] of tables) {
      expect({ id, protection: table.Properties.DeletionProtectionEnabled, policy: table.DeletionPolicy }).toEqual({ id, protection: true, policy: 'Retain' });
      const pitr = table.Properties.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true;
      expect({ id, pitr }).toEqual({ id, pitr: !DISPOSABLE_TABLES.includes(id) });
    }
  });

  it('puts every function in the VPC of the stage params, with the rights to join it', () => {
    const split = (ids: string) => ({ 'Fn::Split': [',', ids] });
    for (const key of functions.keys()) {
      expect(fn(key).Properties.VpcConfig).toEqual({ SubnetIds: split(PARAMS.vpcSubnetIds), SecurityGroupIds: split(PARAMS.vpcSecurityGroupIds) });
      const role = resources[refTo(fn(key).Properties.Role) as string] as Resource;
      expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSLambdaVPCAccessExecutionRole');
    }
  });

  it('alarms by email on failing scheduled functions, poison messages, messages about to be dead-lettered, payment anomalies, parked outbox events and outbox topics missing', () => {
    const topic = resources.AlarmTopic as Resource;
    expect(topic.Type).toBe('AWS::SNS::Topic');
    expect(ofType('AWS::SNS::Subscription').map(([, s]) => s.Properties)).toEqual([{ TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: PARAMS.alarmEmail }]);
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);

    const scheduled = [...[...functions.keys()].filter(isConsumer), ...OTHER_SCHEDULED];
    for (const key of scheduled) {
      const errors = alarms.filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors' && refTo(a.Dimensions[0].Value) === functions.get(key));
      expect({ key, errorAlarms: errors.length }).toEqual({ key, errorAlarms: 1 });
    }
    const metricAlarm = (metric: string) => alarms.filter((a) => a.Namespace === 'wx-shop/prod' && a.MetricName === metric);
    expect(metricAlarm('PoisonMessages')).toHaveLength(1);
    expect(metricAlarm('MessagesNearDeadLetter')).toHaveLength(1);
    expect(metricAlarm('PaymentAnomalies')).toHaveLength(1);
    expect(metricAlarm('ParkedOutboxEvents')).toHaveLength(1);
    expect(filtersOn('outboxRelay', 'ParkedOutboxEvents')).toHaveLength(1);
    expect(metricAlarm('OutboxTopicMissing')).toHaveLength(1);
    expect(filtersOn('outboxRelay', 'OutboxTopicMissing')).toHaveLength(1);
  });

  it('counts poison messages and messages about to be dead-lettered in every consumer log group, payment anomalies wherever one can be recorded', () => {
    for (const key of [...functions.keys()].filter(isConsumer)) {
      expect({ key, filters: filtersOn(key, 'PoisonMessages').length }).toEqual({ key, filters: 1 });
      expect({ key, filters: filtersOn(key, 'MessagesNearDeadLetter').length }).toEqual({ key, filters: 1 });
    }
    const anomalyWriters = [...functions.keys()].filter((key) =>
      statementsOf(key).some((s) => list(s.Action).includes('dynamodb:PutItem') && JSON.stringify(s.Resource).includes('PaymentAnomaliesTable')),
    );
    expect(anomalyWriters).toEqual(expect.arrayContaining(['wxpayNotify', 'cancelOrder', 'orderTimeoutConsumer', 'orderSweep']));
    for (const key of anomalyWriters) expect({ key, filters: filtersOn(key, 'PaymentAnomalies').length }).toEqual({ key, filters: 1 });
    // Each filter names a log group serverless creates for that function, under the name Lambda writes to.
    for (const [, filter] of ofType('AWS::Logs::MetricFilter')) {
      const group = resources[refTo(filter.Properties.LogGroupName) as string] as Resource;
      expect(group.Type).toBe('AWS::Logs::LogGroup');
      expect(group.Properties.LogGroupName).toMatch(new RegExp(`^/aws/lambda/${PREFIX}\\w+$`));
    }
  });

  it('matches the log lines the code writes', () => {
    const patterns = new Map(ofType('AWS::Logs::MetricFilter').map(([, f]) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern as string]));
    const source = (path: string) => readFileSync(join(REPO, 'shared', path), 'utf8');
    const messagesOf = (metric: string) => [...(patterns.get(metric) ?? '').matchAll(/\$\.message = "([^"]+)"/g)].map((m) => (m[1] as string).replace(/\*$/, ''));
    const logged = (text: string, message: string) => new RegExp(`logger\\.(error|warn)\\([^;]*'${message}`).test(text);
    expect(messagesOf('PoisonMessages')).toEqual(['poison message']);
    expect(logged(source('lambda/mq-consumer.ts'), 'poison message')).toBe(true);
    // The line itself, logged through the real SDK and broker, is matched against this pattern in
    // test/rocketmq/dead-letter-warning.test.ts.
    expect(messagesOf('MessagesNearDeadLetter')).toEqual(['message about to be dead-lettered']);
    expect(logged(source('lambda/mq-consumer.ts'), 'message about to be dead-lettered')).toBe(true);
    const [mismatch, refused] = messagesOf('PaymentAnomalies');
    expect(logged(source('use-cases/payment/record-payment.ts'), mismatch as string)).toBe(true);
    // A notification for another merchant or app is recorded as an anomaly beside the warning that refuses it.
    const webhook = source('use-cases/payment/payment-webhook.ts');
    expect(logged(webhook, refused as string)).toBe(true);
    expect(messagesOf('ParkedOutboxEvents')).toEqual(['outbox event parked']);
    expect(logged(source('use-cases/outbox/dispatch-outbox.ts'), 'outbox event parked')).toBe(true);
    expect(messagesOf('OutboxTopicMissing')).toEqual(['outbox events held: their MQ topic does not exist']);
    expect(logged(source('use-cases/outbox/dispatch-outbox.ts'), 'outbox events held: their MQ topic does not exist')).toBe(true);
    for (const reason of ['MCHID_MISMATCH', 'APPID_MISMATCH']) {
      expect(patterns.get('PaymentAnomalies')).toContain(`$.reason = "${reason}"`);
      expect(webhook).toContain(`error.reason === '${reason}'`);
    }
  });

  it('leaves the MQ names at the defaults the README lists', () => {
    for (const key of functions.keys()) {
      expect(Object.keys(fn(key).Properties.Environment.Variables).filter((name) => /^MQ_(TOPIC|GROUP)_/.test(name))).toEqual([]);
    }
  });

  it('refuses a deploy stage without its VPC and alarm params before building anything', async () => {
    const failure = await serverless(dir, ['package', '--stage', 'prod', '--package', join(dir, 'unused')]).catch((error: { stdout: string; stderr: string }) => error);
    const output = `${failure.stdout}\n${failure.stderr}`;
    // osls names where each missing param is used: the VPC of custom.vpc.fromParams and the alarm email.
    for (const place of ['custom.vpc.fromParams.subnetIds', 'custom.vpc.fromParams.securityGroupIds', 'AlarmEmailSubscription.Properties.Endpoint']) {
      expect(output).toMatch(new RegExp(`"[^"]*${place.replace(/\./g, '\\.')}[^"]*": Value not found at "param" source`));
    }
    expect(existsSync(join(dir, 'unused'))).toBe(false);
  }, 60_000);

  it('hands the seeded local values to the local stage, so their absence above means something', async () => {
    const { stdout } = await serverless(dir, ['print', '--stage', 'local', '--format', 'json']);
    const printed = JSON.parse(stdout);
    expect(printed.provider.environment.ADMIN_API_KEY).toBe(seeded.ADMIN_API_KEY);
    expect(printed.provider.environment.WXPAY_MERCHANT_PRIVATE_KEY).toBe(seeded.WXPAY_MERCHANT_PRIVATE_KEY);
    expect(printed.provider.vpc ?? null).toBeNull();
  }, 60_000);
});

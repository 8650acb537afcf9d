/**
 * The canary function's bundle (dist/handlers/canary, what deploys) in a fresh Node process, as Lambda
 * runs it on its schedule: the credentials from moto's Secrets Manager, its message through the
 * stand-in of Tencent's REST API, which calls back the local receiver, found in the receiver's events
 * table; its result and latency as the EMF metrics the canary's alarms and dashboard read.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { canaryMetrics, SERVICE_DIMENSION, SERVICE_NAME } from '../../functions/callback/metric-names.ts';
import { ensureHandlerBundles } from '../../infra/build/handler-bundles.ts';
import { BUNDLE_FILE, handlersDirectory } from '../../infra/handler-code.ts';
import { LOCAL_TABLE_NAME } from '../../local/embedded-store.ts';
import { type MotoServer, motoCredentials, motoRegion, startMotoServer } from '../support/moto-server.ts';
import { SDK_APP_ID, startTestReceiver, type TestReceiver } from '../support/receiver.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../support/tencent-rest-stand-in.ts';

const app = { sdkAppId: SDK_APP_ID, identifier: 'administrator', secretKey: `key-${randomBytes(16).toString('hex')}` };
const GROUP = '@TGS#canary';
const NAMESPACE = 'CanaryBundleTest';

let moto: MotoServer;
let receiver: TestReceiver;
let standIn: TencentRestStandIn;
let bundle: string;
beforeAll(async () => {
  ensureHandlerBundles();
  bundle = join(handlersDirectory(), 'canary', BUNDLE_FILE);
  [moto, receiver, standIn] = await Promise.all([startMotoServer(), startTestReceiver(), startTencentRestStandIn(app)]);
  standIn.groups.set(GROUP, { Type: 'Public' });
  standIn.chatCallbacks = { url: receiver.callbackUrl };
  const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: motoRegion, credentials: motoCredentials });
  await secrets.send(new CreateSecretCommand({ Name: 'tencent/im-admin', SecretString: JSON.stringify(app) }));
  await secrets.send(new CreateSecretCommand({ Name: 'tencent/wrong-key', SecretString: JSON.stringify({ ...app, secretKey: 'not-the-key' }) }));
  secrets.destroy();
});
afterAll(() => Promise.all([moto?.close(), receiver?.close(), standIn?.close()]));

/** One scheduled run in a fresh process: its exit code, its output lines (log records and EMF), its result. */
async function run(secret: string): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string; result?: Record<string, unknown> }> {
  const child = execFile(process.execPath, [join(import.meta.dirname, '../support/invoke-bundle.ts'), bundle], {
    env: {
      PATH: process.env.PATH,
      ...moto.environment('SECRETS_MANAGER'),
      AWS_ENDPOINT_URL_DYNAMODB: receiver.dynamodbEndpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'canary-bundle-test',
      EVENTS_TABLE_NAME: LOCAL_TABLE_NAME,
      TENCENT_CREDENTIALS_SECRET: secret,
      TENCENT_BASE_URL: standIn.baseUrl,
      CANARY_GROUP: GROUP,
      CANARY_WAIT_MS: '60000',
      POWERTOOLS_METRICS_NAMESPACE: NAMESPACE,
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
  });
  child.stdin!.end(JSON.stringify([{ source: 'aws.events', 'detail-type': 'Scheduled Event' }]));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? -1)));
  // Powertools writes INFO to stdout, WARN and ERROR to stderr.
  const lines = `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const last = stdout.trim().split('\n').pop() ?? '';
  return { code, lines, stderr, result: code === 0 ? (JSON.parse(last) as Record<string, unknown>[])[0] : undefined };
}

/** The EMF documents among the lines: each metric's name with its dimension values. */
const metricsIn = (lines: Record<string, unknown>[]) =>
  lines.flatMap((line) => {
    const aws = line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
    return (aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        dimensions: Object.fromEntries(directive.Dimensions.flat().map((name) => [name, line[name]])),
        value: line[metric.Name],
      })),
    );
  });

describe('the canary bundle', () => {
  test('a run whose callback arrives: result, latency and the metrics its alarm and dashboard read', async () => {
    const { code, lines, result, stderr } = await run('tencent/im-admin');
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(result).toMatchObject({ result: 'arrived', latencyMs: expect.any(Number) });
    const metrics = metricsIn(lines);
    expect(metrics).toEqual(
      expect.arrayContaining([
        { namespace: NAMESPACE, name: canaryMetrics.latency.name, dimensions: { [SERVICE_DIMENSION]: SERVICE_NAME }, value: result!.latencyMs },
        {
          namespace: NAMESPACE,
          name: canaryMetrics.checks.name,
          dimensions: { [SERVICE_DIMENSION]: SERVICE_NAME, [canaryMetrics.checks.dimensions[0]]: 'arrived' },
          value: 1,
        },
      ]),
    );
    expect(lines.find((line) => line.message === 'canary')).toMatchObject({ level: 'INFO', result: 'arrived' });
  });

  test('a run with a wrong key in the secret fails in one line naming it, after counting itself refused', async () => {
    const { code, lines, stderr } = await run('tencent/wrong-key');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/check secretKey in Secrets Manager secret tencent\/wrong-key/);
    expect(metricsIn(lines)).toContainEqual(
      expect.objectContaining({ name: canaryMetrics.checks.name, dimensions: expect.objectContaining({ result: 'refused' }) }),
    );
    expect(lines.find((line) => line.message === 'canary')).toMatchObject({
      level: 'ERROR',
      result: 'refused',
      detail: expect.stringMatching(/ErrorCode 70009/),
    });
  });
});

/**
 * The canary function's bundle (dist/handlers/canary, what deploys) in a fresh Node process, as Lambda
 * runs it on its schedule: the credentials from moto's Secrets Manager, its message through the
 * stand-in of Tencent's REST API, which calls back the local receiver, found in the receiver's events
 * table; its result and latency as the EMF metrics the canary's alarms and dashboard read.
 */
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
import { metricsIn, runScheduledBundle } from '../support/scheduled-bundle.ts';
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

/** One scheduled run in a fresh process, with its credentials from this secret. */
const run = (secret: string) =>
  runScheduledBundle(bundle, {
    ...(moto.environment('SECRETS_MANAGER') as Record<string, string>),
    AWS_ENDPOINT_URL_DYNAMODB: receiver.dynamodbEndpoint,
    EVENTS_TABLE_NAME: LOCAL_TABLE_NAME,
    TENCENT_CREDENTIALS_SECRET: secret,
    TENCENT_BASE_URL: standIn.baseUrl,
    CANARY_GROUP: GROUP,
    CANARY_WAIT_MS: '60000',
    POWERTOOLS_METRICS_NAMESPACE: NAMESPACE,
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

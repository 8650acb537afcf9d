/**
 * The reconciliation function's bundle (dist/handlers/reconcile, what deploys) in a fresh Node process,
 * as Lambda runs it on its schedule: the credentials from moto's Secrets Manager, Tencent's truth from
 * the stand-in of its REST API, the synced view in a state table on dynalite; the view repaired, the
 * drift as the EMF metrics the dashboard reads, the report in one log record.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { reconcileMetrics, SERVICE_DIMENSION, SERVICE_NAME } from '../../functions/callback/metric-names.ts';
import { deltaOf } from '../../functions/synced-view/delta.ts';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import { ensureHandlerBundles } from '../../infra/build/handler-bundles.ts';
import { BUNDLE_FILE, handlersDirectory } from '../../infra/handler-code.ts';
import { type EmbeddedStore, startEmbeddedStore } from '../../local/embedded-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { storedEventOf } from '../support/group-lives.ts';
import { type MotoServer, motoCredentials, motoRegion, startMotoServer } from '../support/moto-server.ts';
import { metricsIn, runScheduledBundle } from '../support/scheduled-bundle.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../support/tencent-rest-stand-in.ts';

const app = { sdkAppId: '1400000007', identifier: 'administrator', secretKey: `key-${randomBytes(16).toString('hex')}` };
const NAMESPACE = 'ReconcileBundleTest';

let moto: MotoServer;
let store: EmbeddedStore;
let standIn: TencentRestStandIn;
let bundle: string;
beforeAll(async () => {
  ensureHandlerBundles();
  bundle = join(handlersDirectory(), 'reconcile', BUNDLE_FILE);
  [moto, store, standIn] = await Promise.all([startMotoServer(), startEmbeddedStore({ port: 0 }), startTencentRestStandIn(app)]);
  const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: motoRegion, credentials: motoCredentials });
  await secrets.send(new CreateSecretCommand({ Name: 'tencent/im-admin', SecretString: JSON.stringify(app) }));
  await secrets.send(new CreateSecretCommand({ Name: 'tencent/wrong-key', SecretString: JSON.stringify({ ...app, secretKey: 'not-the-key' }) }));
  secrets.destroy();
});
afterAll(() => Promise.all([moto?.close(), store?.close(), standIn?.close()]));

const run = (secret: string) =>
  runScheduledBundle(bundle, {
    ...(moto.environment('SECRETS_MANAGER') as Record<string, string>),
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    STATE_TABLE_NAME: LOCAL_STATE_TABLE_NAME,
    TENCENT_CREDENTIALS_SECRET: secret,
    TENCENT_BASE_URL: standIn.baseUrl,
    RECONCILE_GROUPS: '["@TGS#given"]',
    RECONCILE_VIEW_GROUPS: 'true',
    RECONCILE_CALLS_PER_SECOND: '20',
    RECONCILE_MAX_GROUPS: '100',
    POWERTOOLS_METRICS_NAMESPACE: NAMESPACE,
  });

describe('the reconciliation bundle', () => {
  test('a run repairs the view and reports its drift in metrics and one readable record', async () => {
    const state = new DynamoDbStateStore(store.client, LOCAL_STATE_TABLE_NAME);
    const body = {
      CallbackCommand: 'Group.CallbackAfterCreateGroup',
      GroupId: '@TGS#seen',
      Type: 'Public',
      Name: 'Before',
      Owner_Account: 'leckie',
      EventTime: Date.now() - 3_600_000,
    };
    const event = storedEventOf(app.sdkAppId, { command: body.CallbackCommand, body: JSON.stringify(body), platform: 'RESTAPI' }, Date.now());
    await state.apply([{ source: event.eventId, patches: deltaOf(event) }]);
    standIn.groups.set('@TGS#seen', { Type: 'Public', Name: 'After', Owner_Account: 'leckie', members: [{ Member_Account: 'leckie', Role: 'Owner' }] });
    standIn.groups.set('@TGS#given', { Type: 'Public', Name: 'Given', Owner_Account: 'ann', members: [{ Member_Account: 'ann', Role: 'Owner' }] });

    const { code, lines, stderr, result } = await run('tencent/im-admin');
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(result).toMatchObject({ checked: 2, differed: 2, unknown: 0, drift: { fields: 4, missingMembers: 1, extraMembers: 0, goneGroups: 0 } });
    expect((await state.group(app.sdkAppId, '@TGS#seen'))!.name).toBe('After');
    expect((await state.group(app.sdkAppId, '@TGS#given'))!.owner).toBe('ann');
    const metric = (name: string, dimension: string, value: string) =>
      metricsIn(lines).find((each) => each.name === name && each.dimensions[dimension] === value && each.dimensions[SERVICE_DIMENSION] === SERVICE_NAME);
    // @TGS#seen's name; @TGS#given's type, name and owner, which the view never had.
    expect(metric(reconcileMetrics.drift.name, 'kind', 'fields')).toMatchObject({ namespace: NAMESPACE, value: 4 });
    expect(metric(reconcileMetrics.drift.name, 'kind', 'extraMembers')).toMatchObject({ value: 0 });
    expect(metric(reconcileMetrics.groups.name, 'result', 'checked')).toMatchObject({ value: 2 });
    const record = lines.find((line) => line.message === 'reconcile');
    expect(record).toMatchObject({ level: 'INFO', checked: 2, differed: 2 });
    expect(record!.report).toEqual(expect.arrayContaining(['@TGS#seen: repaired', '  name: view "Before", Tencent "After"']));
  });

  test('a wrong key fails the run in one line naming the setting', async () => {
    const { code, lines } = await run('tencent/wrong-key');
    expect(code).not.toBe(0);
    expect(lines.find((line) => line.message === 'reconcile')).toMatchObject({
      level: 'ERROR',
      detail: expect.stringMatching(/ErrorCode 70009.*check secretKey in Secrets Manager secret tencent\/wrong-key$/),
    });
  });
});

import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import { appConfigPolicySource } from '../../../functions/policy/appconfig-policy-source.ts';
import { actingOf } from '../../../functions/policy/decision.ts';
import { LivePolicy, type RefreshOutcome } from '../../../functions/policy/live-policy.ts';
import { compilePolicy } from '../../../functions/policy/policy.ts';
import type { Policy } from '../../../functions/policy/policy-schema.ts';
import { type AppConfigDataStandIn, startAppConfigDataStandIn } from './appconfig-data-stand-in.ts';

/**
 * The policy from AppConfig (docs/policy.md#without-a-deploy), through Powertools Parameters and the
 * real SDK, against a stand-in of the AppConfig Data API reached through the SDK's endpoint setting:
 * the first fetch, a refresh, a refused bad document, the layer's copy when AppConfig is down, and a
 * callback that never waits for a fetch.
 */
const TOPIC = commandDefinition('Group.CallbackBeforeCreateTopic');
const location = { application: 'tencent-im-callbacks', environment: 'test', profile: 'policy' };
const refusing = (name: string, code: number) => ({ rules: [{ command: TOPIC.command, field: 'Name', in: [name], refuse: { code, info: name } }] });
const layerPolicy: Policy = refusing('layer', 10101) as Policy;
const decisionFor = (live: LivePolicy, name: string) => actingOf(live.current()(TOPIC, { Name: name }));

let standIn: AppConfigDataStandIn;
beforeAll(async () => {
  standIn = await startAppConfigDataStandIn(location, JSON.stringify(refusing('first', 10102)));
});
afterAll(async () => {
  await standIn.close();
});
afterEach(() => {
  standIn.failing(false);
});

const client = () =>
  new AppConfigDataClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

function live(options: { client?: AppConfigDataClient; now?: () => number } = {}) {
  const reports: RefreshOutcome[] = [];
  const policy = new LivePolicy({
    initial: layerPolicy,
    compile: (next) => compilePolicy(next),
    deadlineMs: 100,
    source: appConfigPolicySource(location, options.client ?? client()),
    refreshMs: 45_000,
    now: options.now,
    report: (outcome) => reports.push(outcome),
  });
  return { policy, reports };
}

describe('the policy from AppConfig', () => {
  test('fetched, then refreshed when a new version is deployed; an unchanged version is not compiled again', async () => {
    const { policy, reports } = live();
    expect(decisionFor(policy, 'layer')).toMatchObject({ action: 'refuse', code: 10101 });
    expect(await policy.refresh()).toEqual({ type: 'applied', rules: 1 });
    expect(decisionFor(policy, 'first')).toMatchObject({ action: 'refuse', code: 10102 });
    expect(decisionFor(policy, 'layer')).toEqual({ action: 'allow' });
    const compiled = policy.current();
    expect(await policy.refresh()).toEqual({ type: 'unchanged' });
    expect(policy.current()).toBe(compiled);

    standIn.deploy(JSON.stringify(refusing('second', 10103)));
    expect(await policy.refresh()).toEqual({ type: 'applied', rules: 1 });
    expect(decisionFor(policy, 'second')).toMatchObject({ action: 'refuse', code: 10103 });
    expect(reports.map(({ type }) => type)).toEqual(['applied', 'applied']);
  });

  test('a document that fails a check is refused with the rule and the reason; the running policy stays', async () => {
    standIn.deploy(JSON.stringify(refusing('good', 10104)));
    const { policy, reports } = live();
    await policy.refresh();
    standIn.deploy(JSON.stringify({ rules: [{ command: TOPIC.command, field: 'Nmae', in: ['x'], refuse: { code: 10105 } }] }));
    const outcome = await policy.refresh();
    expect(outcome).toEqual({ type: 'refused', problems: [`rules.0.field: field "Nmae" is not in ${TOPIC.command}'s body (rule 0)`] });
    expect(decisionFor(policy, 'good')).toMatchObject({ action: 'refuse', code: 10104 });
    standIn.deploy('{"rules": [');
    expect(await policy.refresh()).toMatchObject({ type: 'refused', problems: [expect.stringContaining('not valid JSON')] });
    expect(decisionFor(policy, 'good')).toMatchObject({ action: 'refuse', code: 10104 });
    expect(reports.map(({ type }) => type)).toEqual(['applied', 'refused', 'refused']);
  });

  test('AppConfig down at a cold start: the layer’s copy answers, and the next refresh brings AppConfig’s', async () => {
    standIn.deploy(JSON.stringify(refusing('appconfig', 10106)));
    standIn.failing(true);
    const { policy, reports } = live();
    expect(await policy.refresh()).toMatchObject({ type: 'unreachable', error: expect.stringContaining('down') });
    expect(decisionFor(policy, 'layer')).toMatchObject({ action: 'refuse', code: 10101 });
    standIn.failing(false);
    expect(await policy.refresh()).toEqual({ type: 'applied', rules: 1 });
    expect(decisionFor(policy, 'appconfig')).toMatchObject({ action: 'refuse', code: 10106 });
    expect(reports.map(({ type }) => type)).toEqual(['unreachable', 'applied']);
  });

  test('reached through the SDK’s endpoint setting (AWS_ENDPOINT_URL_APPCONFIGDATA), as the deployed function is', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_APPCONFIGDATA: standIn.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    try {
      standIn.deploy(JSON.stringify(refusing('endpoint', 10107)));
      const before = standIn.requests.length;
      const policy = new LivePolicy({ initial: layerPolicy, compile: (next) => compilePolicy(next), deadlineMs: 100, source: appConfigPolicySource(location) });
      expect(await policy.refresh()).toEqual({ type: 'applied', rules: 1 });
      expect(standIn.requests.slice(before)).toEqual(['POST /configurationsessions', 'GET /configuration']);
    } finally {
      process.env = saved;
    }
  });
});

describe('a callback never waits on a fetch', () => {
  test('past the refresh interval, current() starts a refresh and answers with the policy in force; the new one applies once fetched', async () => {
    let time = 0;
    let release!: (document: string) => void;
    let fetches = 0;
    const policy = new LivePolicy({
      initial: layerPolicy,
      compile: (next) => compilePolicy(next),
      deadlineMs: 100,
      refreshMs: 45_000,
      now: () => time,
      // A fetch that hangs until the test lets it answer.
      source: () => {
        fetches++;
        return new Promise((resolve) => {
          release = resolve;
        });
      },
    });
    expect(decisionFor(policy, 'layer')).toMatchObject({ code: 10101 });
    expect(fetches).toBe(0);
    time += 45_000;
    expect(decisionFor(policy, 'layer')).toMatchObject({ code: 10101 });
    expect(fetches).toBe(1);
    // Still fetching: more callbacks answer at once, and start no second fetch.
    expect(decisionFor(policy, 'layer')).toMatchObject({ code: 10101 });
    expect(fetches).toBe(1);
    release(JSON.stringify(refusing('fresh', 10108)));
    await policy.refresh();
    expect(decisionFor(policy, 'fresh')).toMatchObject({ code: 10108 });
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import type { CallbackEvent } from '../../../functions/callback/callback-event.ts';
import type { RecordLevel } from '../../../functions/callback/callback-record.ts';
import { createCallbackHandler } from '../../../functions/callback/chain.ts';
import { type RecordLineOptions, recordLine } from '../../../functions/callback/record-line.ts';
import type { Settings } from '../../../functions/shared/settings.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { metricsIn } from '../../support/emf-documents.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

/**
 * The callback's one line, as the Lambda function writes it (record-line.ts over the whole chain):
 * the record with its metrics as EMF, what it leaves out, and how the log level never costs a metric.
 */
const NAMESPACE = 'TencentImCallbacks';
const AFTER = 'Group.CallbackAfterCreateGroup';
const BEFORE = 'Group.CallbackBeforeCreateTopic';
const settings = testSettings({
  policy: { rules: [{ command: BEFORE, field: 'Operator_Account', in: ['spammer'], refuse: { code: 10150, info: 'no' } }] },
});

let store: EmbeddedStore;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
});
afterAll(() => store.close());

interface Written {
  readonly line: Record<string, any>;
  readonly text: string;
  readonly level: RecordLevel | undefined;
}

/** A receiver whose lines are kept, with the options the Lambda function gives (namespace, the SDKAppIDs) unless told otherwise. */
function receiver(options: Partial<RecordLineOptions> = {}, overrides: Partial<Settings> = {}) {
  const written: Written[] = [];
  const handler = createCallbackHandler({
    settings: { ...settings, ...overrides },
    store: new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME),
    log: recordLine({
      logLevel: overrides.logLevel ?? 'INFO',
      namespace: NAMESPACE,
      sdkAppIds: settings.sdkAppIds,
      now: () => 1_764_600_000_000,
      write: (text, level) => written.push({ line: JSON.parse(text), text, level }),
      ...options,
    }),
  });
  const send = async (command: string, body: string, query: Record<string, string> = {}) => {
    const before = written.length;
    const event = apiGatewayEvent({
      query: { SdkAppid: SDK_APP_ID, CallbackCommand: command, ClientIP: '198.51.100.7', OptPlatform: 'Android', ...query },
      body,
    });
    await handler(event as CallbackEvent, { awsRequestId: 'line-1' } as Context);
    return written.slice(before);
  };
  return { send, written };
}

const group = (name: string) =>
  JSON.stringify({ CallbackCommand: AFTER, GroupId: '@TGS#line', Type: 'Public', Operator_Account: 'owner', Owner_Account: 'owner', Name: name });
const topic = (operator: string) => JSON.stringify({ CallbackCommand: BEFORE, GroupId: '@TGS#line', Operator_Account: operator, Name: 'x' });

describe("the callback's line", () => {
  test('is one line per callback, whatever happened: the record, carrying its metrics as EMF', async () => {
    const { send } = receiver();
    const unique = `stored once ${Date.now()}`;
    const outcomes = [
      await send(AFTER, group(unique)),
      await send(AFTER, group(unique)),
      await send(BEFORE, topic('leckie')),
      await send(BEFORE, topic('spammer')),
      await send(AFTER, '{not json'),
    ];
    for (const lines of outcomes) expect(lines).toHaveLength(1);
    const lines = outcomes.map(([written]) => written!.line);
    expect(lines.map((line) => [line.message, line.outcome])).toEqual([
      ['callback', 'stored'],
      ['callback', 'duplicate'],
      ['callback', 'allowed'],
      ['callback', 'refused'],
      ['callback', 'rejected'],
    ]);
    expect(lines.map((line) => metricsIn(line).filter((metric) => !metric.startsWith('ColdStart')))).toEqual([
      [`Callbacks{command=${AFTER},outcome=stored}=1`],
      [`Callbacks{command=${AFTER},outcome=duplicate}=1`, 'Duplicates{}=1'],
      [`Callbacks{command=${BEFORE},outcome=allowed}=1`],
      // The rule that refused (it has no id: its place) rides on the same line.
      [`Callbacks{command=${BEFORE},outcome=refused}=1`, 'Refusals{code=10150}=1', 'PolicyRuleHits{ruleId=0}=1'],
      [`Callbacks{command=${AFTER},outcome=rejected}=1`, 'Rejections{reason=invalid-json}=1'],
    ]);
    // The refusal code is a dimension, so the line holds it as a string.
    expect(lines[3]).toMatchObject({ code: '10150', rule: 0, _aws: { Timestamp: 1_764_600_000_000 } });
    expect(outcomes.map(([written]) => written!.level)).toEqual(['INFO', 'INFO', 'INFO', 'INFO', 'WARN']);
    for (const { text } of outcomes.flat()) expect(text).not.toContain('\n');
  });

  test('leaves out what a reader knows otherwise: defaults, the only SDKAppID, and a kept event’s details (the table has them)', async () => {
    const { send } = receiver();
    const [stored] = await send(AFTER, group(`details ${Date.now()}`));
    expect(Object.keys(stored!.line).sort()).toEqual(
      ['level', 'message', 'service', 'eventId', 'outcome', 'command', 'kind', 'groupId', 'user', 'durationMs', 'requestId', 'Callbacks', '_aws']
        .concat(stored!.line.coldStart ? ['coldStart', 'ColdStart'] : [])
        .sort(),
    );
    // Turned away: nothing was stored, so the line says who sent what, and the answer's status.
    const [rejected] = await send(AFTER, group('unknown app'), { SdkAppid: '1400000999' });
    expect(rejected!.line).toMatchObject({ outcome: 'rejected', status: 403, sdkAppId: '1400000999', clientIp: '198.51.100.7', optPlatform: 'Android' });
    // A decision: the fields the command's definition shows, and where the request came from.
    const [allowed] = await send(BEFORE, topic('leckie'));
    expect(allowed!.line).toMatchObject({ outcome: 'allowed', user: 'leckie', fields: { operator: 'leckie' }, clientIp: '198.51.100.7' });
    expect(allowed!.line).not.toHaveProperty('status');
    expect(allowed!.line).not.toHaveProperty('sdkAppId');
  });

  test('names a command without a definition `unregistered`, the metric’s dimension, and keeps it as sent in commandSent', async () => {
    const { send } = receiver();
    const [line] = await send('Vendor.CallbackAfterSomething', JSON.stringify({ CallbackCommand: 'Vendor.CallbackAfterSomething', At: Date.now() }));
    expect(line!.line).toMatchObject({ command: 'unregistered', commandSent: 'Vendor.CallbackAfterSomething', outcome: 'stored' });
    expect(metricsIn(line!.line)).toContain('Callbacks{command=unregistered,outcome=stored}=1');
  });

  test('below the log level, the record is not written but its metrics are: a line of their own, which no query counts as a record', async () => {
    const { send } = receiver({}, { logLevel: 'WARN' });
    const [allowed] = await send(BEFORE, topic('leckie'));
    expect(allowed!.level).toBeUndefined();
    expect(allowed!.line).not.toHaveProperty('message');
    expect(allowed!.line).not.toHaveProperty('level');
    expect(metricsIn(allowed!.line).filter((metric) => !metric.startsWith('ColdStart'))).toEqual([`Callbacks{command=${BEFORE},outcome=allowed}=1`]);
    expect(Object.keys(allowed!.line).filter((key) => !['service', 'command', 'outcome', 'Callbacks', 'ColdStart', '_aws'].includes(key))).toEqual([]);
    // At or above it, the record as ever.
    const [rejected] = await send(AFTER, '{not json');
    expect(rejected).toMatchObject({ level: 'WARN', line: { message: 'callback', outcome: 'rejected' } });
    expect(metricsIn(rejected!.line)).toContain('Rejections{reason=invalid-json}=1');
  });

  test('at DEBUG carries the body as received', async () => {
    const { send } = receiver({}, { logLevel: 'DEBUG' });
    const body = topic('leckie');
    const [line] = await send(BEFORE, body);
    expect(line!.line).toMatchObject({ level: 'INFO', payload: body });
  });

  test('without a namespace (npm start) is the record alone, the command as sent, with the time', async () => {
    const { send } = receiver({ namespace: undefined, timestamp: true });
    const [line] = await send('Vendor.CallbackAfterOther', JSON.stringify({ CallbackCommand: 'Vendor.CallbackAfterOther', At: Date.now() }));
    expect(line!.line).toMatchObject({ command: 'Vendor.CallbackAfterOther', timestamp: '2025-12-01T14:40:00.000Z' });
    expect(line!.line).not.toHaveProperty('_aws');
    expect(line!.line).not.toHaveProperty('commandSent');
  });

  test('refuses options it cannot honour', () => {
    expect(() => recordLine({ logLevel: 'LOUD' as 'INFO' })).toThrow(/logLevel must be one of DEBUG, INFO, WARN, ERROR/);
    expect(() => recordLine({ logLevel: 'INFO', namespace: ' ' })).toThrow(/namespace must not be empty/);
  });
});

/**
 * A command without a definition (docs/commands.md#unknown), through middy: the record says it is
 * unknown and which registered command it is nearest to, the readable line says so, and the
 * `UnknownCommands` metric counts it by kind (Powertools' EMF, read from what it writes to stdout).
 * The callback itself is taken as before: that is the local-server test's.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, test } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CallbackEvent, CallbackResult } from '../../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import { callbackMetrics } from '../../../functions/callback/metric-names.ts';
import matchCallbackCommand from '../../../functions/callback/middlewares/match-callback-command.ts';
import normalizeEvent from '../../../functions/callback/middlewares/normalize-event.ts';
import observeCallback from '../../../functions/callback/middlewares/observe-callback.ts';
import parseJsonBody from '../../../functions/callback/middlewares/parse-json-body.ts';
import { httpAnswer, ok } from '../../../functions/callback/tencent-answer.ts';
import { readableRecord } from '../../../local/readable-record.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { emfWhile } from '../../support/emf-lines.ts';

const { unknownCommands, callbacks } = callbackMetrics;

/** The chain's steps up to the command, and a handler that takes whatever reaches it as the route would. */
async function send(command: string) {
  const records: CallbackRecord[] = [];
  const metrics = new Metrics({ namespace: 'TencentImCallbacks', serviceName: 'tencent-im-callbacks' });
  const handler = middy<CallbackEvent, CallbackResult>()
    .use(observeCallback({ log: (record) => records.push(record), metrics }))
    .use(normalizeEvent())
    .use(parseJsonBody())
    .use(matchCallbackCommand())
    .handler((event: CallbackEvent) => {
      event.callback.outcome =
        event.callback.definition?.kind === 'before'
          ? { type: 'allowed', decision: { action: 'allow' } }
          : { type: 'stored', eventId: 'e'.repeat(32), valid: true };
      return httpAnswer(200, ok());
    });
  const event = apiGatewayEvent({
    query: { SdkAppid: '1400000000', CallbackCommand: command },
    body: JSON.stringify({ CallbackCommand: command, GroupId: 'g' }),
  });
  const emitted = await emfWhile(() => handler(event, { awsRequestId: 'unknown-1' } as Context));
  expect(records).toHaveLength(1);
  return { record: records[0]!, emitted };
}

describe('a command without a definition', () => {
  test.each([
    ['Group.CallbackAfterCreatGroup', 'unregistered', 'Group.CallbackAfterCreateGroup'],
    ['Group.CallbackBeforeSendMessage', 'before', 'Group.CallbackBeforeSendMsg'],
    ['group.callbackaftercreategroup', 'unregistered', 'Group.CallbackAfterCreateGroup'],
  ])('%s: recorded as unknown, nearest %s, counted', async (command, kind, nearest) => {
    const { record, emitted } = await send(command);
    expect(record).toMatchObject({ command, kind, unknownCommand: true, nearest, status: 200 });
    expect(readableRecord(record)).toContain(` ${command} (unknown command, nearest ${nearest}) `);
    expect(emitted.filter((document) => unknownCommands.name in document)).toEqual([expect.objectContaining({ kind, [unknownCommands.name]: 1 })]);
    // The command stays out of every dimension: a sender cannot mint metrics.
    expect(emitted).toContainEqual(expect.objectContaining({ command: 'unregistered', [callbacks.name]: 1 }));
  });

  test('a name far from every registered one is unknown, with no nearest name', async () => {
    const { record, emitted } = await send('Wallet.CallbackAfterPay');
    expect(record).toMatchObject({ kind: 'unregistered', unknownCommand: true });
    expect(record).not.toHaveProperty('nearest');
    expect(readableRecord(record)).toContain(' Wallet.CallbackAfterPay (unknown command) ');
    expect(emitted.filter((document) => unknownCommands.name in document)).toHaveLength(1);
  });

  test('a registered command is none of that', async () => {
    const { record, emitted } = await send('Group.CallbackAfterCreateGroup');
    expect(record).not.toHaveProperty('unknownCommand');
    expect(readableRecord(record)).not.toContain('unknown command');
    expect(emitted.filter((document) => unknownCommands.name in document)).toEqual([]);
  });
});

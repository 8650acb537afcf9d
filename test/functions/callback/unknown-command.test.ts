/**
 * A command without a definition (docs/commands.md#unknown), through middy: the record says it is
 * unknown and which registered command it is nearest to, the readable line says so, and the
 * `UnknownCommands` metric counts it by kind (the EMF its line carries, as record-line.ts writes it).
 * The callback itself is taken as before: that is the local-server test's.
 */
import { describe, expect, test } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CallbackEvent, CallbackResult } from '../../../functions/callback/callback-event.ts';
import type { MetricValue } from '../../../functions/callback/callback-metrics.ts';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import { callbackMetrics } from '../../../functions/callback/metric-names.ts';
import matchCallbackCommand from '../../../functions/callback/middlewares/match-callback-command.ts';
import normalizeEvent from '../../../functions/callback/middlewares/normalize-event.ts';
import observeCallback from '../../../functions/callback/middlewares/observe-callback.ts';
import parseJsonBody from '../../../functions/callback/middlewares/parse-json-body.ts';
import { recordLine } from '../../../functions/callback/record-line.ts';
import { httpAnswer, ok } from '../../../functions/callback/tencent-answer.ts';
import { readableRecord } from '../../../local/readable-record.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { metricsIn } from '../../support/emf-documents.ts';

const { unknownCommands, callbacks } = callbackMetrics;

/**
 * The chain's steps up to the command, and a handler that takes whatever reaches it as the route
 * would: the record, its one line, and the metrics the line carries as `name{dimension=value}=value`
 * (without ColdStart, which only the file's first request counts).
 */
async function send(command: string) {
  const records: CallbackRecord[] = [];
  const lines: Record<string, any>[] = [];
  const writeLine = recordLine({ logLevel: 'INFO', namespace: 'TencentImCallbacks', write: (text) => lines.push(JSON.parse(text)) });
  const log = (record: CallbackRecord, metrics: readonly MetricValue[]) => {
    records.push(record);
    writeLine(record, metrics);
  };
  const handler = middy<CallbackEvent, CallbackResult>()
    .use(observeCallback({ log }))
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
  await handler(event, { awsRequestId: 'unknown-1' } as Context);
  expect(records).toHaveLength(1);
  expect(lines).toHaveLength(1);
  const emitted = metricsIn(lines[0]!).filter((metric) => !metric.startsWith('ColdStart'));
  return { record: records[0]!, line: lines[0]!, emitted };
}

describe('a command without a definition', () => {
  test.each([
    ['Group.CallbackAfterCreatGroup', 'unregistered', 'Group.CallbackAfterCreateGroup', 'stored'],
    ['Group.CallbackBeforeSendMessage', 'before', 'Group.CallbackBeforeSendMsg', 'allowed'],
    ['group.callbackaftercreategroup', 'unregistered', 'Group.CallbackAfterCreateGroup', 'stored'],
  ])('%s: recorded as unknown, nearest %s, counted', async (command, kind, nearest, outcome) => {
    const { record, line, emitted } = await send(command);
    expect(record).toMatchObject({ command, kind, unknownCommand: true, nearest, status: 200 });
    expect(readableRecord(record)).toContain(` ${command} (unknown command, nearest ${nearest}) `);
    // The command stays out of every dimension, so a sender cannot mint metrics; the line keeps it as sent.
    expect(emitted).toEqual([`${callbacks.name}{command=unregistered,outcome=${outcome}}=1`, `${unknownCommands.name}{kind=${kind}}=1`]);
    expect(line).toMatchObject({ command: 'unregistered', commandSent: command, unknownCommand: true, nearest });
  });

  test('a name far from every registered one is unknown, with no nearest name', async () => {
    const { record, line, emitted } = await send('Wallet.CallbackAfterPay');
    expect(record).toMatchObject({ kind: 'unregistered', unknownCommand: true });
    expect(record).not.toHaveProperty('nearest');
    expect(line).not.toHaveProperty('nearest');
    expect(readableRecord(record)).toContain(' Wallet.CallbackAfterPay (unknown command) ');
    expect(emitted.filter((metric) => metric.startsWith(`${unknownCommands.name}{`))).toEqual([`${unknownCommands.name}{kind=unregistered}=1`]);
  });

  test('a registered command is none of that', async () => {
    const { record, line, emitted } = await send('Group.CallbackAfterCreateGroup');
    expect(record).not.toHaveProperty('unknownCommand');
    expect(line).not.toHaveProperty('commandSent');
    expect(readableRecord(record)).not.toContain('unknown command');
    expect(emitted).toEqual([`${callbacks.name}{command=Group.CallbackAfterCreateGroup,outcome=stored}=1`]);
  });
});

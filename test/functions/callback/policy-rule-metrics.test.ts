import { describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import type { MetricValue } from '../../../functions/callback/callback-metrics.ts';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import { createCallbackHandler } from '../../../functions/callback/chain.ts';
import { callbackMetrics } from '../../../functions/callback/metric-names.ts';
import { recordLine } from '../../../functions/callback/record-line.ts';
import { evaluationsPeriodMs } from '../../../functions/callback/rule-evaluations.ts';
import type { EventStore } from '../../../functions/store/event-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

/**
 * Through the whole chain: what the record says of the rules that decided and of shadow rules, and
 * what CloudWatch counts per rule: the EMF the callback's record line carries (record-line.ts, emf.ts),
 * read from the lines it writes.
 */
const SEND = 'Group.CallbackBeforeSendMsg';
const settings = testSettings({
  policy: {
    rules: [
      { id: 'links', mode: 'shadow', command: SEND, field: 'MsgBody[].MsgContent.Text', pattern: 'https?://', drop: true },
      { id: 'darn', command: SEND, field: 'MsgBody[].MsgContent.Text', containsAny: ['darn'], mask: '*' },
      { id: 'jared-shadow', mode: 'shadow', command: SEND, field: 'From_Account', in: ['jared'], refuse: { code: 10150, info: 'no' } },
    ],
  },
});
const untouchable: EventStore = {
  keyOf: () => {
    throw new Error('a before-callback reached the store');
  },
  put: () => {
    throw new Error('a before-callback reached the store');
  },
};

const send = (text: string, from = 'jared') =>
  apiGatewayEvent({
    query: { SdkAppid: SDK_APP_ID, CallbackCommand: SEND },
    body: JSON.stringify({ CallbackCommand: SEND, GroupId: '@TGS#1', From_Account: from, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }] }),
  });

function receiver() {
  let time = 1_700_000_000_000;
  const clock = { now: () => time, advance: (ms: number) => (time += ms) };
  const records: CallbackRecord[] = [];
  let lines: Record<string, unknown>[] = [];
  const writeLine = recordLine({ logLevel: 'INFO', namespace: 'TencentImCallbacks', write: (text) => lines.push(JSON.parse(text)) });
  const log = (record: CallbackRecord, metrics: readonly MetricValue[]) => {
    records.push(record);
    writeLine(record, metrics);
  };
  const handler = createCallbackHandler({ settings, store: untouchable, log, now: clock.now });
  /** The EMF documents (one a line) written while `run` runs. */
  const emfWhile = async (run: () => Promise<unknown>) => {
    lines = [];
    await run();
    return lines.filter((line) => '_aws' in line);
  };
  return { handler, records, clock, emfWhile };
}

const valuesOf = (emitted: Record<string, unknown>[], metric: string) =>
  emitted.filter((document) => metric in document).map((document) => [document.ruleId, document[metric]]);

describe('per-rule records and metrics', () => {
  test('a shadow rule is recorded with what it would have done, and counted; the acting rule that masked is named, with the masked text', async () => {
    const { handler, records, emfWhile } = receiver();
    let answer: Awaited<ReturnType<typeof handler>> | undefined;
    const emitted = await emfWhile(async () => {
      answer = await handler(send('darn http://x'), { awsRequestId: 'r1' } as Context);
    });
    expect(JSON.parse(String(answer?.body))).toMatchObject({ ErrorCode: 0, MsgBody: [{ MsgContent: { Text: '**** http://x' } }] });
    expect(records[0]).toMatchObject({
      outcome: 'rewritten',
      rule: [1],
      matched: [{ id: 'darn', rule: { id: 'darn', containsAny: ['darn'], mask: '*' } }],
      changed: { masked: ['**** http://x'] },
      shadow: [
        { rule: 'links', wouldDrop: true },
        { rule: 'jared-shadow', wouldRefuse: { code: 10150, info: 'no' } },
      ],
    });
    expect(valuesOf(emitted, callbackMetrics.policyRuleHits.name)).toEqual([['darn', 1]]);
    // The acting rule's count is on the record's own line; each shadow rule's, a further EMF document of it (emf.ts).
    expect(emitted[0]).toMatchObject({ message: 'callback', outcome: 'rewritten', [callbackMetrics.policyRuleHits.name]: 1, ruleId: 'darn' });
    expect(emitted).toHaveLength(3);
    expect(valuesOf(emitted, callbackMetrics.policyShadowHits.name)).toEqual([
      ['links', 1],
      ['jared-shadow', 1],
    ]);
  });

  test('evaluations are summed per rule and written once a period', async () => {
    const { handler, clock, emfWhile } = receiver();
    const first = await emfWhile(async () => {
      for (const [index, from] of ['ann', 'bob', 'cid'].entries()) await handler(send('hello', from), { awsRequestId: `e${index}` } as Context);
    });
    expect(valuesOf(first, callbackMetrics.policyRuleEvaluations.name)).toEqual([]);
    clock.advance(evaluationsPeriodMs);
    const later = await emfWhile(() => handler(send('hello', 'dan'), { awsRequestId: 'e4' } as Context));
    expect(valuesOf(later, callbackMetrics.policyRuleEvaluations.name)).toEqual([
      ['links', 4],
      ['darn', 4],
      ['jared-shadow', 4],
    ]);
    expect(valuesOf(later, callbackMetrics.policyRuleHits.name)).toEqual([]);
  });
});

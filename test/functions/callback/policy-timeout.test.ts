import { describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import type { MetricValue } from '../../../functions/callback/callback-metrics.ts';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import { createCallbackHandler } from '../../../functions/callback/chain.ts';
import { callbackMetrics } from '../../../functions/callback/metric-names.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { EventStore } from '../../../functions/store/event-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

/**
 * A before-callback whose decision runs past `policyDeadlineMs`, through the whole chain: the
 * command's onTimeout answers, the record says `timed-out` with the rule reached, and the
 * `PolicyTimeouts` metric counts it (the values the record's line carries as EMF: record-line.ts).
 */
const COMMAND = 'Group.CallbackBeforeCreateTopic';
const settings = testSettings({
  policyDeadlineMs: 50,
  policy: {
    rules: [{ command: COMMAND, field: 'Name', in: ['spam'], refuse: { code: 10101, info: 'spam' } }],
    onTimeout: { [COMMAND]: { refuse: { code: 10199, info: 'busy, try again' } } },
  },
});

/** Before-callbacks never touch storage: a store that fails the test if they do. */
const untouchable: EventStore = {
  keyOf: (event) => eventKeyOf(event),
  put: () => {
    throw new Error('a before-callback reached the store');
  },
};

/** A clock that moves a second at every reading: any decision is past a 50 ms deadline at its first look. */
function slowClock() {
  let time = 1_700_000_000_000;
  return () => (time += 1_000);
}

/**
 * A receiver whose records and metric values are kept, each as `name{dimension=value,…}=value`; the
 * first request of the test file's modules also counts a ColdStart, left out so any test may be first.
 */
function receiver(now: () => number) {
  const records: CallbackRecord[] = [];
  const emitted: string[] = [];
  const log = (record: CallbackRecord, metrics: readonly MetricValue[]) => {
    records.push(record);
    for (const { metric, dimensions, value } of metrics) {
      if (metric === callbackMetrics.coldStart) continue;
      emitted.push(`${metric.name}{${Object.entries(dimensions).map(([name, dimension]) => `${name}=${dimension}`)}}=${value}`);
    }
  };
  return { handler: createCallbackHandler({ settings, store: untouchable, log, now }), records, emitted };
}

const event = () =>
  apiGatewayEvent({
    query: { SdkAppid: SDK_APP_ID, CallbackCommand: COMMAND },
    body: JSON.stringify({ CallbackCommand: COMMAND, GroupId: '@TGS#1', Operator_Account: 'leckie', Name: 'spam' }),
  });

describe('a decision past its deadline, through the chain', () => {
  test('answered by onTimeout, recorded as timed-out with the rule reached, and counted', async () => {
    const { handler, records, emitted } = receiver(slowClock());
    const answer = await handler(event(), { awsRequestId: 'timeout-1' } as Context);

    expect(answer?.statusCode).toBe(200);
    expect(JSON.parse(String(answer?.body))).toEqual({ ActionStatus: 'OK', ErrorCode: 10199, ErrorInfo: 'busy, try again' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'timed-out', level: 'WARN', rule: 0, code: 10199, status: 200, command: COMMAND });
    expect(emitted).toEqual([
      `${callbackMetrics.callbacks.name}{command=${COMMAND},outcome=timed-out}=1`,
      `${callbackMetrics.policyTimeouts.name}{command=${COMMAND}}=1`,
    ]);
  });

  test('within the deadline, the rule decides, is counted as a hit, and nothing is counted as a timeout', async () => {
    const { handler, records, emitted } = receiver(() => 1_700_000_000_000);
    const answer = await handler(event(), { awsRequestId: 'timeout-2' } as Context);
    expect(JSON.parse(String(answer?.body))).toEqual({ ActionStatus: 'OK', ErrorCode: 10101, ErrorInfo: 'spam' });
    expect(records[0]).toMatchObject({ outcome: 'refused', level: 'INFO', rule: 0, code: 10101 });
    expect(emitted).toEqual([
      `${callbackMetrics.callbacks.name}{command=${COMMAND},outcome=refused}=1`,
      `${callbackMetrics.refusals.name}{code=10101}=1`,
      `${callbackMetrics.policyRuleHits.name}{ruleId=0}=1`,
    ]);
  });
});

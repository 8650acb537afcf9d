/**
 * Issue 19: the inspector does no work while no page is open. A callback answered then keeps its bytes
 * and its record; its row (the body's text, its curl) is made when a page opens, the same row a page
 * open at the time would have been sent.
 */

import { describe, expect, test } from '@jest/globals';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import { CapturedCallbacks } from '../../../local/inspector/captured-callbacks.ts';
import type { InspectedCallback } from '../../../local/inspector/inspector-types.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';

const body = JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', GroupId: '@TGS#unwatched', Name: 'n' });

function capture(watched: boolean) {
  const told: InspectedCallback[] = [];
  const captured = new CapturedCallbacks({ port: () => 3000, signed: () => false, watched: () => watched, onCaptured: (row) => told.push(row) });
  for (const requestId of ['r1', 'r2']) {
    const event = apiGatewayEvent({ query: { SdkAppid: '1400000000', CallbackCommand: 'Group.CallbackBeforeCreateTopic' }, body });
    event.requestContext.requestId = requestId;
    event.requestContext.timeEpoch = 1_700_000_000_000;
    const record: CallbackRecord = { level: 'INFO', outcome: 'allowed', status: 200, durationMs: 1, coldStart: false, requestId, groupId: '@TGS#unwatched' };
    captured.record(record);
    captured.answered(event, { bytes: Buffer.from(body), size: Buffer.byteLength(body) }, { statusCode: 200, body: '{"ErrorCode":0}' });
  }
  return { captured, told };
}

describe('the inspector without a page', () => {
  test('tells nobody of a callback and makes no row; a page that opens gets the rows an open page would have got', () => {
    const open = capture(true);
    const closed = capture(false);
    expect([open.told.length, closed.told.length]).toEqual([2, 0]);
    expect(closed.captured.all()).toEqual(open.told);
    expect(closed.captured.outgoing('r1')).toEqual(open.captured.outgoing('r1'));
  });
});

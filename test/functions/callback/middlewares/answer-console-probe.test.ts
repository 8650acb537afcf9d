import { describe, expect, test } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CallbackEvent, CallbackResult } from '../../../../functions/callback/callback-event.ts';
import answerConsoleProbe, { probeAnswer, skippedForProbes } from '../../../../functions/callback/middlewares/answer-console-probe.ts';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import { apiGatewayEvent, type EventShape } from '../../../support/api-gateway-event.ts';

const APP = '1400000000';

/**
 * The probe step between normalizeEvent and a step it skips for probes, in front of a handler that
 * answers probes with probeAnswer and says `callback` for the rest (docs/protocol.md#console-probe).
 */
async function answer(shape: EventShape) {
  const reached: string[] = [];
  const handler = middy<CallbackEvent, CallbackResult>()
    .use(normalizeEvent())
    .use(answerConsoleProbe({ sdkAppIds: [APP] }))
    .use(skippedForProbes({ before: () => void reached.push('skipped for probes') }))
    .handler((event: CallbackEvent) => (event.callback.probe ? probeAnswer(event) : { statusCode: 202, body: 'callback' }));
  const result = await handler(apiGatewayEvent(shape), { awsRequestId: 'probe-1' } as Context);
  return { status: result.statusCode, body: result.body, reached };
}

const OK = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });

describe('answerConsoleProbe', () => {
  test('needs an SDKAppID, as verifySdkAppId does', () => {
    expect(() => answerConsoleProbe({ sdkAppIds: [] })).toThrow(/sdkAppIds/);
  });

  test.each<[string, EventShape]>([
    ['a GET', { method: 'GET', query: { SdkAppid: APP } }],
    ['a HEAD', { method: 'HEAD' }],
    ['a POST with no body', { query: { SdkAppid: APP, CallbackCommand: 'Group.CallbackAfterCreateGroup' } }],
    ['a POST with an empty body', { body: '' }],
    ['a POST of whitespace, base64-encoded', { body: ' \n\t', base64: true }],
    ['a POST of 6 KB of whitespace, base64-encoded', { body: ' '.repeat(6000), base64: true }],
    ['a POST naming no app', { body: '', query: { SdkAppid: '' } }],
    // normalize-event.ts reads a body that is no text (a harness's object) as none.
    ['a POST whose body is an object (a harness)', { body: { CallbackCommand: 'x' } as unknown as string }],
  ])('%s of the callback path is a probe: answered OK, the steps for callbacks skipped', async (_case, shape) => {
    const { status, body, reached } = await answer(shape);
    expect({ status, reached }).toEqual({ status: 200, reached: [] });
    expect(body).toBe(shape.method === 'HEAD' ? '' : OK);
  });

  test.each<[string, EventShape]>([
    ['a POST with a body', { body: '{}', query: { SdkAppid: APP } }],
    ['a POST with a body that is not JSON', { body: 'x' }],
    ['an empty POST naming another app', { body: '', query: { SdkAppid: '1400999999' } }],
    ['a GET naming another app', { method: 'GET', query: { SdkAppid: '1400999999' } }],
    ['a GET with a body', { method: 'GET', body: '{"CallbackCommand":"Group.CallbackAfterCreateGroup"}' }],
    ['a POST of whitespace JSON does not allow (a no-break space)', { body: ' \u00a0 ' }],
    ['a POST of base64 that decodes to more than whitespace', { body: `${' '.repeat(5000)}{}`, base64: true }],
    ['a GET of another path', { method: 'GET', path: '/' }],
    ['a PUT with no body', { method: 'PUT' }],
  ])('%s is no probe: every step runs', async (_case, shape) => {
    expect(await answer(shape)).toEqual({ status: 202, body: 'callback', reached: ['skipped for probes'] });
  });
});

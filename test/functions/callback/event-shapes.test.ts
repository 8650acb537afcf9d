import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import type { CallbackEvent, CallbackResult } from '../../../functions/callback/callback-event.ts';
import { type CallbackHandler, createCallbackHandler } from '../../../functions/callback/chain.ts';
import limitBodySize from '../../../functions/callback/middlewares/limit-body-size.ts';
import normalizeEvent from '../../../functions/callback/middlewares/normalize-event.ts';
import parseJsonBody from '../../../functions/callback/middlewares/parse-json-body.ts';
import tencentErrorResponse from '../../../functions/callback/middlewares/tencent-error-response.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';
import { propertyParameters } from '../../support/seed.ts';

/**
 * Every shape an event can have, from API Gateway (a body of null), the Lambda console's test event
 * or a harness (no requestContext, no headers, no event at all): a 4xx in Tencent's format, or the
 * answer the request deserves, never a 500.
 */
const context = { awsRequestId: 'shape-1' } as Context;
const valid = () =>
  apiGatewayEvent({
    query: { SdkAppid: SDK_APP_ID, CallbackCommand: 'Group.CallbackBeforeCreateTopic' },
    body: '{"CallbackCommand":"Group.CallbackBeforeCreateTopic","GroupId":"@TGS#1"}',
  }) as unknown as Record<string, unknown>;
const without = (...names: string[]) => Object.fromEntries(Object.entries(valid()).filter(([name]) => !names.includes(name)));

let store: EmbeddedStore;
let handler: CallbackHandler;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  handler = createCallbackHandler({ settings: testSettings(), store: new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME), log: () => undefined });
});
afterAll(() => store.close());

const invoke = (event: unknown, lambdaContext: unknown = context) => handler(event as CallbackEvent, lambdaContext as Context);

describe('middlewares used alone, through middy', () => {
  const echo = middy<CallbackEvent, CallbackResult>(async () => ({ statusCode: 200, body: 'handled' }));

  test('limitBodySize lets a body of null through: it is no body', async () => {
    const handle = middy<CallbackEvent, CallbackResult>(async () => ({ statusCode: 200 })).use(limitBodySize({ maxBodyBytes: 10 }));
    await expect(handle({ ...valid(), body: null } as unknown as CallbackEvent, context)).resolves.toEqual({ statusCode: 200 });
    await expect(handle({ ...valid(), body: null, isBase64Encoded: true } as unknown as CallbackEvent, context)).resolves.toEqual({ statusCode: 200 });
  });

  test('parseJsonBody answers a body of null as empty (400 40001), not with a TypeError', async () => {
    const handle = echo.use(tencentErrorResponse()).use(normalizeEvent()).use(parseJsonBody());
    const answer = await handle({ ...valid(), body: null } as unknown as CallbackEvent, context);
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(String(answer.body))).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 40001 });
  });
});

describe('the whole chain', () => {
  test.each([
    // No body at all is what the console's URL check may send: answered OK (docs/protocol.md#console-probe).
    ['a body of null (API Gateway, no body)', { ...valid(), body: null }, 200],
    ['a body of null, base64', { ...valid(), body: null, isBase64Encoded: true }, 200],
    ['no requestContext', without('requestContext'), 405],
    ['no headers', without('headers'), 200],
    ['no queryStringParameters', without('queryStringParameters'), 403],
    ['queryStringParameters of null', { ...valid(), queryStringParameters: null }, 403],
    ['a query value of null', { ...valid(), queryStringParameters: { SdkAppid: null } }, 403],
    ['no rawPath, the path in requestContext', without('rawPath'), 200],
    ['requestContext.http of null', { ...valid(), requestContext: { http: null } }, 405],
    // normalize-event.ts reads a body that is no text as none: the probe's answer too.
    ['a body that is an object already', { ...valid(), body: { CallbackCommand: 'x' } }, 200],
    ['an empty event (the console)', {}, 404],
    ['null', null, 404],
    ['an array', [], 404],
    ['a string', 'event', 404],
  ])('%s', async (_name, event, status) => {
    const answer = await invoke(event);
    expect(answer.statusCode).toBe(status);
    expect(JSON.parse(String(answer.body))).toHaveProperty('ActionStatus');
  });

  test('no context object at all', async () => {
    expect((await invoke(valid(), undefined)).statusCode).toBe(200);
  });

  test('any value in any field of the event: never a 500', async () => {
    const field = fc.constantFrom(
      'body',
      'isBase64Encoded',
      'queryStringParameters',
      'requestContext',
      'headers',
      'rawPath',
      'rawQueryString',
      'version',
      'cookies',
    );
    const anyValue = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.anything(),
      fc.string(),
      fc.base64String(),
      fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(null))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, anyValue), { maxLength: 4 }), async (changes) => {
        const event = valid();
        for (const [name, value] of changes) event[name] = value;
        const answer = await invoke(event);
        expect(answer.statusCode).toBeLessThan(500);
      }),
      propertyParameters('event shapes', { numRuns: 300 }),
    );
  });
});

import { describe, expect, test } from '@jest/globals';
import { CallbackError } from '../../../../functions/callback/callback-error.ts';
import tencentErrorResponse from '../../../../functions/callback/middlewares/tencent-error-response.ts';
import { apiGatewayEvent, middyRequest } from '../../../support/api-gateway-event.ts';

function answer(error: unknown) {
  const request = middyRequest(apiGatewayEvent());
  request.error = error as Error;
  tencentErrorResponse().onError!(request);
  return { response: request.response! };
}

describe('tencentErrorResponse', () => {
  test('answers a CallbackError with its status, code, message and headers', () => {
    const { response } = answer(new CallbackError('method-not-allowed', 'GET is not allowed', { headers: { allow: 'POST' } }));
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'POST', 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(response.body!)).toEqual({ ActionStatus: 'FAIL', ErrorCode: 40500, ErrorInfo: 'GET is not allowed' });
  });

  test('answers anything else without internals', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x') at /var/task/index.mjs:1:2");
    const { response } = answer(bug);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body!)).toEqual({ ActionStatus: 'FAIL', ErrorCode: 50000, ErrorInfo: 'internal error: the callback was not handled' });
    expect(response.body).not.toMatch(/var\/task|TypeError|at /);
  });
});

import { describe, expect, test } from '@jest/globals';
import limitBodySize from '../../../../functions/callback/middlewares/limit-body-size.ts';
import { apiGatewayEvent, middyRequest } from '../../../support/api-gateway-event.ts';

const check = (body: string, base64: boolean) => () => limitBodySize({ maxBodyBytes: 1024 }).before!(middyRequest(apiGatewayEvent({ body, base64 })));

describe('limitBodySize', () => {
  test.each([[false], [true]])('lets exactly maxBodyBytes through (base64: %s)', (base64) => {
    expect(check('x'.repeat(1024), base64)()).toBeUndefined();
  });

  test.each([[false], [true]])('refuses one byte more with 413, naming both sizes (base64: %s)', (base64) => {
    expect(check('x'.repeat(1025), base64)).toThrow(expect.objectContaining({ reason: 'payload-too-large', statusCode: 413 }));
    expect(check('x'.repeat(1025), base64)).toThrow('the body is 1025 bytes, more than the 1024 allowed');
  });

  test('counts bytes, not characters', () => {
    expect(check('话'.repeat(342), false)).toThrow(/1026 bytes/);
  });

  test('checks its options up front', () => {
    expect(() => limitBodySize({ maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
  });
});

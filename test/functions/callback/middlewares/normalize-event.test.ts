import { describe, expect, test } from '@jest/globals';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import { apiGatewayEvent, middyRequest } from '../../../support/api-gateway-event.ts';

const normalize = (query: Record<string, string>) => {
  const request = middyRequest(apiGatewayEvent({ query }));
  normalizeEvent({ now: () => 1_700_000_000_000 }).before!(request);
  return request.event.callback;
};

describe('normalizeEvent', () => {
  test('reads the documented query parameters, the clock and the request id', () => {
    expect(
      normalize({ SdkAppid: '1400000000', CallbackCommand: 'Group.CallbackAfterCreateGroup', contenttype: 'json', ClientIP: '127.0.0.1', OptPlatform: 'Web' }),
    ).toMatchObject({
      method: 'POST',
      path: '/callback',
      sdkAppId: '1400000000',
      commandInQuery: 'Group.CallbackAfterCreateGroup',
      clientIp: '127.0.0.1',
      optPlatform: 'Web',
      receivedAt: 1_700_000_000_000,
      requestId: 'request-1',
    });
  });

  test('matches parameter names in any case (the LiveKit pages write SdkAppId)', () => {
    expect(normalize({ SdkAppId: '1', callbackcommand: 'X', CLIENTIP: '::1' })).toMatchObject({ sdkAppId: '1', commandInQuery: 'X', clientIp: '::1' });
  });

  test('joins one name given in two cases, so an ambiguous SdkAppid matches no app', () => {
    expect(normalize({ SdkAppid: '1400000000', sdkappid: '1' }).sdkAppId).toBe('1400000000,1');
  });

  test('leaves absent optional parameters undefined (some commands send no ClientIP)', () => {
    expect(normalize({ SdkAppid: '1' })).toMatchObject({ clientIp: undefined, optPlatform: undefined, commandInQuery: undefined });
  });
});

import { describe, expect, test } from '@jest/globals';
import { CallbackError } from '../../../../functions/callback/callback-error.ts';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import verifySdkAppId from '../../../../functions/callback/middlewares/verify-sdk-app-id.ts';
import { apiGatewayEvent, middyRequest } from '../../../support/api-gateway-event.ts';

const verify = (query: Record<string, string>) => {
  const request = middyRequest(apiGatewayEvent({ query }));
  normalizeEvent().before!(request);
  return () => verifySdkAppId({ sdkAppIds: ['1400000000', '1400000001'] }).before!(request);
};

describe('verifySdkAppId', () => {
  test.each([['1400000000'], ['1400000001']])('accepts configured SDKAppID %s', (id) => {
    expect(verify({ SdkAppid: id })()).toBeUndefined();
  });

  test('refuses another SDKAppID with 403 and says which one', () => {
    expect(verify({ SdkAppid: '1400000002' })).toThrow(
      new CallbackError(
        'unknown-sdkappid',
        'SdkAppid "1400000002" is not an SDKAppID this receiver accepts: add it to the sdkAppIds setting (IM_SDKAPPIDS locally)',
      ),
    );
  });

  test.each([[{}], [{ SdkAppid: '' }]])('refuses a missing or empty SdkAppid with 403', (query) => {
    expect(verify(query)).toThrow(expect.objectContaining({ reason: 'missing-sdkappid', statusCode: 403 }));
  });

  test('refuses near misses: a prefix, padding, two ids', () => {
    for (const id of ['140000000', ' 1400000000', '1400000000,1400000001']) {
      expect(verify({ SdkAppid: id })).toThrow(expect.objectContaining({ reason: 'unknown-sdkappid' }));
    }
  });

  test('checks its options up front', () => {
    expect(() => verifySdkAppId({ sdkAppIds: [] })).toThrow(/at least one SDKAppID/);
  });
});

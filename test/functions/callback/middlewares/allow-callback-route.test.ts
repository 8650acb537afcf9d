import { describe, expect, test } from '@jest/globals';
import allowCallbackRoute from '../../../../functions/callback/middlewares/allow-callback-route.ts';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import { apiGatewayEvent, type EventShape, middyRequest } from '../../../support/api-gateway-event.ts';

const check = (shape: EventShape) => {
  const request = middyRequest(apiGatewayEvent(shape));
  normalizeEvent().before!(request);
  return () => allowCallbackRoute().before!(request);
};

describe('allowCallbackRoute', () => {
  test('lets POST /callback through', () => {
    expect(check({})()).toBeUndefined();
  });

  test.each([['/'], ['/callback/'], ['/Callback'], ['/admin']])('answers %s with route-not-found (404)', (path) => {
    expect(check({ path })).toThrow(expect.objectContaining({ reason: 'route-not-found', statusCode: 404 }));
  });

  test.each([['GET'], ['PUT'], ['DELETE']])('answers %s with method-not-allowed (405) and an Allow header', (method) => {
    expect(check({ method })).toThrow(expect.objectContaining({ reason: 'method-not-allowed', statusCode: 405, headers: { allow: 'POST' } }));
  });
});

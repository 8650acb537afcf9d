import { describe, expect, test } from '@jest/globals';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import verifySign, { signOf, type VerifySignOptions } from '../../../../functions/callback/middlewares/verify-sign.ts';
import { apiGatewayEvent, middyRequest } from '../../../support/api-gateway-event.ts';

/** Tencent's own example (docs/protocol.md#sign), re-computed there too. */
const official = { token: 'xxxxyyyy', requestTime: '1669872112', sign: '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061' };
const officialNow = () => Number(official.requestTime) * 1000;

async function verify(query: Record<string, string>, options: Partial<VerifySignOptions> = {}) {
  const request = middyRequest(apiGatewayEvent({ query: { SdkAppid: '1400000000', ...query } }));
  normalizeEvent().before!(request);
  await verifySign({ tokens: () => [official.token], windowSeconds: 60, now: officialNow, ...options }).before!(request);
}

const rejection = (reason: string) => expect.objectContaining({ reason, statusCode: 401 });

describe('verifySign', () => {
  test("computes Tencent's official example", () => {
    expect(signOf(official.token, official.requestTime).toString('hex')).toBe(official.sign);
  });

  test('accepts the official example, in lower- or upper-case hex', async () => {
    await expect(verify({ Sign: official.sign, RequestTime: official.requestTime })).resolves.toBeUndefined();
    await expect(verify({ Sign: official.sign.toUpperCase(), RequestTime: official.requestTime })).resolves.toBeUndefined();
  });

  test('matches the parameter names in any case', async () => {
    await expect(verify({ sign: official.sign, requesttime: official.requestTime })).resolves.toBeUndefined();
  });

  test('accepts any of several tokens, for rotation', async () => {
    const tokens = () => ['new-token', official.token];
    await expect(verify({ Sign: official.sign, RequestTime: official.requestTime }, { tokens })).resolves.toBeUndefined();
    const signedWithNew = signOf('new-token', official.requestTime).toString('hex');
    await expect(verify({ Sign: signedWithNew, RequestTime: official.requestTime }, { tokens })).resolves.toBeUndefined();
  });

  test('checks nothing when no token is configured', async () => {
    await expect(verify({}, { tokens: () => [] })).resolves.toBeUndefined();
  });

  test.each([
    ['no Sign', { RequestTime: official.requestTime }],
    ['no RequestTime', { Sign: official.sign }],
    ['neither', {}],
    ['empty values', { Sign: '', RequestTime: '' }],
  ])('refuses %s as missing-sign', async (_case, query) => {
    await expect(verify(query)).rejects.toEqual(rejection('missing-sign'));
  });

  test.each([
    ['the token written xxxyyy, as one old copy of the docs has it', signOf('xxxyyy', official.requestTime).toString('hex')],
    ['a Sign for another time', signOf(official.token, '1669872113').toString('hex')],
    ['a truncated Sign', official.sign.slice(0, 63)],
    ['a Sign with a non-hex character', `${official.sign.slice(0, 63)}g`],
    ['a base64 Sign', Buffer.from(official.sign, 'hex').toString('base64')],
  ])('refuses %s as invalid-sign', async (_case, sign) => {
    await expect(verify({ Sign: sign, RequestTime: official.requestTime })).rejects.toEqual(rejection('invalid-sign'));
  });

  test.each([
    ['61 s late (a replay)', 61_000, /61 s in the past, more than the 60 s allowed/],
    ['61 s early (a future date)', -61_000, /61 s in the future/],
  ])('refuses a RequestTime %s', async (_case, offsetMs, message) => {
    const later = () => officialNow() + offsetMs;
    const attempt = verify({ Sign: official.sign, RequestTime: official.requestTime }, { now: later });
    await expect(attempt).rejects.toEqual(rejection('request-time-outside-window'));
    await expect(verify({ Sign: official.sign, RequestTime: official.requestTime }, { now: later })).rejects.toThrow(message);
  });

  test('accepts a RequestTime at the edge of the window, either way', async () => {
    for (const offsetMs of [60_999, -60_000]) {
      await expect(verify({ Sign: official.sign, RequestTime: official.requestTime }, { now: () => officialNow() + offsetMs })).resolves.toBeUndefined();
    }
  });

  test('uses the configured window', async () => {
    const now = () => officialNow() + 10_000;
    await expect(verify({ Sign: official.sign, RequestTime: official.requestTime }, { now, windowSeconds: 5 })).rejects.toEqual(
      rejection('request-time-outside-window'),
    );
  });

  test.each([
    ['milliseconds', '1669872112000'],
    ['not a number', 'yesterday'],
    ['negative', '-1669872112'],
  ])('refuses a RequestTime in %s', async (_case, requestTime) => {
    await expect(verify({ Sign: official.sign, RequestTime: requestTime })).rejects.toEqual(rejection('request-time-outside-window'));
  });

  test('answers 503 when the token cannot be read, so the request is neither trusted nor lost for good', async () => {
    const tokens = () => Promise.reject(new Error('Secrets Manager is down'));
    await expect(verify({ Sign: official.sign, RequestTime: official.requestTime }, { tokens })).rejects.toEqual(
      expect.objectContaining({ reason: 'token-unavailable', statusCode: 503 }),
    );
  });

  test('checks its options up front', () => {
    expect(() => verifySign({ tokens: () => [], windowSeconds: 0 })).toThrow(/windowSeconds/);
  });
});

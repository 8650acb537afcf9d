import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, jest, test } from '@jest/globals';
import { Api } from 'tls-sig-api-v2/TLSSigAPIv2.js';
import { tencentCredentials } from '../../../functions/tencent/tencent-credentials.ts';
import { userSigLifetimeSeconds, userSigRenewAfterSeconds, userSigSource } from '../../../functions/tencent/user-sig.ts';

const credentials = tencentCredentials({ sdkAppId: '1400000001', identifier: 'administrator', secretKey: 'the-app-key' });

/** Tencent's encoding, undone: URL-safe base64 (`*` `-` `_`) of zlib-deflated JSON (research-tencent.md §6). */
const decoded = (sig: string) => JSON.parse(inflateSync(Buffer.from(sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64')).toString());

describe('userSigSource', () => {
  test("a 24-hour sig for the admin account, signed with the app's key", () => {
    const document = decoded(userSigSource(credentials).current());
    expect(document).toMatchObject({ 'TLS.ver': '2.0', 'TLS.identifier': 'administrator', 'TLS.sdkappid': 1400000001, 'TLS.expire': 24 * 60 * 60 });
    const signed = `TLS.identifier:administrator\nTLS.sdkappid:1400000001\nTLS.time:${document['TLS.time']}\nTLS.expire:86400\n`;
    expect(document['TLS.sig']).toBe(createHmac('sha256', 'the-app-key').update(signed).digest('base64'));
  });

  test('kept until 23 hours old, then made anew; renew() forgets it at once', () => {
    const made = jest.spyOn(Api.prototype, 'genUserSig');
    try {
      let now = 1_700_000_000_000;
      const sigs = userSigSource(credentials, { now: () => now });
      sigs.current();
      now += userSigRenewAfterSeconds * 1000 - 1;
      sigs.current();
      expect(made).toHaveBeenCalledTimes(1);
      now += 1;
      sigs.current();
      expect(made).toHaveBeenCalledTimes(2);
      sigs.renew();
      sigs.current();
      expect(made).toHaveBeenCalledTimes(3);
      expect(made.mock.calls.every(([identifier, expire]) => identifier === 'administrator' && expire === userSigLifetimeSeconds)).toBe(true);
    } finally {
      made.mockRestore();
    }
  });
});

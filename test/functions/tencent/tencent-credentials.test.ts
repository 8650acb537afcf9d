import { inspect } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import {
  CredentialsSourceError,
  credentialsFromEnvironment,
  credentialsFromSecretText,
  regionOfSecretArn,
} from '../../../functions/tencent/tencent-credentials.ts';

const key = 'sk-0123456789abcdef';
const secretId = 'tencent/im-admin';
const problem = (text: string) => {
  try {
    credentialsFromSecretText(text, secretId);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsSourceError);
    return (error as Error).message;
  }
  throw new Error('expected a CredentialsSourceError');
};

describe('credentials from a secret', () => {
  test('the JSON secret, its SDKAppID as a number or a string, trimmed', () => {
    for (const sdkAppId of [1400000001, '1400000001', ' 1400000001 ']) {
      const credentials = credentialsFromSecretText(JSON.stringify({ sdkAppId, identifier: ' administrator ', secretKey: key }), secretId);
      expect([credentials.sdkAppId, credentials.identifier, credentials.secretKey]).toEqual(['1400000001', 'administrator', key]);
    }
  });

  test.each([
    [key, 'it is not JSON'],
    ['[]', 'it is not a JSON object'],
    [JSON.stringify({ identifier: 'a', secretKey: key }), 'its sdkAppId is missing'],
    [JSON.stringify({ sdkAppId: 'app', identifier: 'a', secretKey: key }), 'its sdkAppId must be the SDKAppID, e.g. "1400000000"'],
    [JSON.stringify({ sdkAppId: 1400000001, identifier: '', secretKey: key }), 'its identifier must be the App admin account'],
    [JSON.stringify({ sdkAppId: 1400000001, identifier: 'a', secretKey: 42 }), 'its secretKey must be the app key from the Chat console, a string'],
  ])('a malformed secret is named, its content never repeated: %s', (text, detail) => {
    const message = problem(text);
    expect(message).toBe(
      `The Secrets Manager secret tencent/im-admin must hold JSON {"sdkAppId","identifier","secretKey"}${detail === 'it is not JSON' ? '; ' : ': '}${detail}`,
    );
    expect(message).not.toContain(key);
  });

  test('the key stays out of JSON and inspect; each part is named by where it was read', () => {
    const credentials = credentialsFromSecretText(JSON.stringify({ sdkAppId: 1400000001, identifier: 'administrator', secretKey: key }), secretId);
    expect(`${JSON.stringify(credentials)}${inspect(credentials, { depth: 5, showHidden: false })}`).not.toContain(key);
    expect(credentials.settingNames.secretKey).toBe('secretKey in Secrets Manager secret tencent/im-admin');
  });

  test("an ARN's region is where the secret is read", () => {
    expect(regionOfSecretArn('arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:tencent/im-admin-AbCdEf')).toBe('ap-southeast-1');
    expect(regionOfSecretArn('tencent/im-admin')).toBeUndefined();
  });
});

describe('credentials from the environment (local use)', () => {
  test('IM_ADMIN_IDENTIFIER and IM_SECRET_KEY, named by their variables', () => {
    const credentials = credentialsFromEnvironment({ IM_ADMIN_IDENTIFIER: 'administrator', IM_SECRET_KEY: key }, '1400000001', '--app');
    expect([credentials.sdkAppId, credentials.identifier, credentials.secretKey]).toEqual(['1400000001', 'administrator', key]);
    expect(credentials.settingNames).toEqual({ sdkAppId: '--app', identifier: 'IM_ADMIN_IDENTIFIER', secretKey: 'IM_SECRET_KEY' });
  });

  test('a missing one is named', () => {
    expect(() => credentialsFromEnvironment({ IM_ADMIN_IDENTIFIER: 'administrator', IM_SECRET_KEY: ' ' }, '1400000001', '--app')).toThrow(
      'No Tencent admin credentials: give --secret (a Secrets Manager secret), or for local use set IM_SECRET_KEY',
    );
  });
});

import { describe, expect, test } from '@jest/globals';
import { SettingsError } from '../../functions/shared/settings.ts';
import { localSettingsFromEnvironment } from '../../local/local-settings.ts';

describe('localSettingsFromEnvironment', () => {
  test('has the documented defaults, an empty variable counting as unset', () => {
    expect(localSettingsFromEnvironment({ PORT: '', DATA_DIR: '' })).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DYNAMODB_PORT: 4567,
      DATA_DIR: '.data',
      LOG_FORMAT: 'readable',
      IM_CALLBACK_TOKEN: [],
    });
  });

  test('reads each variable, the tokens comma-separated for rotation', () => {
    expect(
      localSettingsFromEnvironment({
        PORT: '0',
        DYNAMODB_PORT: '8000',
        DATA_DIR: '/tmp/x',
        LOG_FORMAT: 'json',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
        IM_CALLBACK_TOKEN: 'old, new',
      }),
    ).toMatchObject({
      PORT: 0,
      DYNAMODB_PORT: 8000,
      DATA_DIR: '/tmp/x',
      LOG_FORMAT: 'json',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      IM_CALLBACK_TOKEN: ['old', 'new'],
    });
  });

  test.each([
    ['PORT', 'abc', /must be a port number/],
    ['PORT', '70000', /65535/],
    ['LOG_FORMAT', 'yaml', /must be readable or json/],
    ['DYNAMODB_ENDPOINT', 'localhost', /must be a URL/],
  ])('refuses %s=%s, naming the variable', (name, value, detail) => {
    const read = () => localSettingsFromEnvironment({ [name]: value });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(`environment variable ${name}: `);
    expect(read).toThrow(detail);
  });
});

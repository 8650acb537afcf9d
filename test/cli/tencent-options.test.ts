import { describe, expect, test } from '@jest/globals';
import { parseTencentOptions } from '../../cli/tencent-options.ts';

describe('parseTencentOptions', () => {
  test('set-callback: commands all by default, or a list; secret, app, domain, base URL', () => {
    expect(parseTencentOptions(['set-callback', '--product', 'live', '--url', 'https://r.example.com/cb', '--secret', 'tencent/im-admin'])).toEqual({
      action: 'set-callback',
      product: 'live',
      url: 'https://r.example.com/cb',
      commands: ['all'],
      secret: 'tencent/im-admin',
    });
    expect(
      parseTencentOptions([
        'set-callback',
        '--product=call',
        '--url=http://r.example.com/cb',
        '--commands',
        ' Call.CallbackAfterStartCall, Call.CallbackAfterEndCall,',
        '--app',
        '1400000001',
        '--domain',
        'singapore',
        '--base-url',
        'http://127.0.0.1:5000',
      ]),
    ).toEqual({
      action: 'set-callback',
      product: 'call',
      url: 'http://r.example.com/cb',
      commands: ['Call.CallbackAfterStartCall', 'Call.CallbackAfterEndCall'],
      app: '1400000001',
      domain: 'singapore',
      baseUrl: 'http://127.0.0.1:5000',
    });
  });

  test('--help, -h and help', () => {
    for (const args of [['--help'], ['-h'], ['help'], ['set-callback', '--help']]) expect(parseTencentOptions(args)).toEqual({ action: 'help' });
  });

  test.each([
    [[], 'give one action: set-callback or get-callback'],
    [['set', '--product', 'live'], '"set" is not an action: give set-callback or get-callback'],
    [['get-callback'], '--product is required'],
    [['get-callback', '--product', 'live', '--url', 'https://r.example.com'], 'get-callback takes no --url or --commands'],
    [['set-callback', '--product', 'live'], 'set-callback needs --url, where Tencent sends the callbacks'],
    [['set-callback', '--product', 'live', '--url', 'r.example.com/cb'], '--url must be an http:// or https:// URL, where Tencent sends the callbacks'],
    [['set-callback', '--product', 'live', '--url', 'https://r', '--commands', ','], '--commands must be all, or commands separated by commas'],
    [['get-callback', '--product', 'live', '--domain', 'https://console.tim.qq.com'], '--domain must be one of china, singapore'],
    [['get-callback', '--product', 'live', '--app', '0'], '--app an SDKAppID is a number such as 1400000000'],
    [['get-callback', '--product', 'live', '--nope'], "Unknown option '--nope'"],
  ])('%j: %s', (args, message) => {
    expect(() => parseTencentOptions(args)).toThrow(message);
  });
});

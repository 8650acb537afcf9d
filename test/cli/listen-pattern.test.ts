import { describe, expect, test } from '@jest/globals';
import { checkListenCommand, listenPattern } from '../../cli/listen-pattern.ts';

describe("listen's event pattern", () => {
  test('every event of the receiver without filters, narrowed by each one given', () => {
    expect(listenPattern({ commands: [] })).toEqual({ source: ['tencent.im'] });
    expect(
      listenPattern({ commands: ['Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg'], groupId: '@TGS#1', user: 'bob', sdkAppId: '1400000000' }),
    ).toEqual({
      source: ['tencent.im'],
      'detail-type': ['Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg'],
      detail: { groupId: ['@TGS#1'], user: ['bob'], sdkAppId: ['1400000000'] },
    });
  });

  test('a command the bus never carries is refused as onEvent refuses it', () => {
    expect(checkListenCommand('Group.CallbackAfterSendMsg')).toBe('Group.CallbackAfterSendMsg');
    expect(() => checkListenCommand('Group.CallbackBeforeSendMsg')).toThrow(
      '--command Group.CallbackBeforeSendMsg is a before-callback: it is answered, never stored, so never published',
    );
    expect(() => checkListenCommand('Group.CallbackAfterSendMgs')).toThrow('did you mean Group.CallbackAfterSendMsg?');
  });
});

import { describe, expect, test } from '@jest/globals';
import { eventIdOf } from '../../../functions/store/event-id.ts';

const APP = '1400000000';
const OTHER_APP = '1400000001';
const CREATE_GROUP = 'Group.CallbackAfterCreateGroup';
const CREATE_TOPIC = 'Group.CallbackAfterCreateTopic';

describe('eventIdOf', () => {
  const body = '{"CallbackCommand":"Group.CallbackAfterCreateGroup","GroupId":"@TGS#1"}';
  const id = eventIdOf(APP, CREATE_GROUP, body);

  test('is 32 lower-case hex characters', () => {
    expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  test('is deterministic', () => {
    expect(eventIdOf(APP, CREATE_GROUP, `${body}`)).toBe(id);
    expect(eventIdOf('1400000000', 'Group.CallbackAfterCreateGroup', body.slice())).toBe(id);
  });

  test('is stable across releases: the SHA-256 prefix of app, command and body joined by newlines', () => {
    expect(eventIdOf('1', 'C', '{}')).toBe('aa0d530cd232e65e2568c3483955e510');
  });

  test.each([
    ['the sdkAppId', OTHER_APP, CREATE_GROUP, body],
    ['the command', APP, CREATE_TOPIC, body],
    ['one character of the body', APP, CREATE_GROUP, body.replace('#1', '#2')],
    ['whitespace in the body', APP, CREATE_GROUP, body.replace(':', ': ')],
    ['a trailing newline', APP, CREATE_GROUP, `${body}\n`],
    ['the key order', APP, CREATE_GROUP, '{"GroupId":"@TGS#1","CallbackCommand":"Group.CallbackAfterCreateGroup"}'],
  ])('differs when %s differs', (_, sdkAppId, command, rawBody) => {
    expect(eventIdOf(sdkAppId, command, rawBody)).not.toBe(id);
  });

  test('tells apart numbers JSON.parse rounds to the same double', () => {
    const a = '{"MsgSeq":9007199254740993}';
    const b = '{"MsgSeq":9007199254740992}';
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
    expect(eventIdOf(APP, CREATE_GROUP, a)).not.toBe(eventIdOf(APP, CREATE_GROUP, b));
  });
});

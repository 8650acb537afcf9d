import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { commandDefinition } from '../../functions/commands/registry.ts';
import { fillTemplate, templateFields } from '../../functions/policy/reply-template.ts';
import { problemsOf } from '../functions/policy/test-families.ts';
import { post, startTestReceiver, storedEvents, type TestReceiver, testSettings } from '../support/receiver.ts';

/**
 * The chatbot's reply comes from the policy (docs/policy.md#reply): `Chatbot.OnC2CSignalMessage` is an
 * after-callback whose answer carries `RspData`; a `reply` rule fills it (a fixed text or a template),
 * the first whose matchers hold; without one it stays empty, as the definition's acknowledgement says.
 * The event is stored whatever the reply.
 */
const SIGNAL = 'Chatbot.OnC2CSignalMessage';
const example = commandDefinition(SIGNAL).example;

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver({
    settings: testSettings({
      policy: {
        rules: [
          { command: SIGNAL, field: 'Data', pattern: '"msg":"ping"', reply: 'pong to {From_Account}' },
          {
            command: SIGNAL,
            field: 'From_Account',
            in: ['vip'],
            unless: [{ field: 'To_Account', in: ['@RBT#quiet'] }],
            reply: '{{"vip":"{From_Account}","seq":{MsgSeq}}}',
          },
        ],
      },
    }),
  });
});
afterAll(async () => {
  await receiver.close();
});

const signal = (fields: Record<string, unknown>) => post(receiver, { command: SIGNAL, body: JSON.stringify({ ...example, ...fields }) });

describe('reply rules', () => {
  test('the first matching rule replies, its template filled from the body; the event is stored', async () => {
    const { status, answer } = await signal({ From_Account: 'ann', Data: '{"msg":"ping"}', MsgKey: 'k-ping' });
    expect(status).toBe(200);
    expect(answer).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', RspData: 'pong to ann' });
    expect((await storedEvents(receiver)).some((event) => event.command === SIGNAL)).toBe(true);
  });

  test('literal braces and a number field', async () => {
    const { answer } = await signal({ From_Account: 'vip', Data: 'x', MsgSeq: 42, MsgKey: 'k-vip' });
    expect(answer.RspData).toBe('{"vip":"vip","seq":42}');
  });

  test('an exemption holds; no rule matching: the empty reply, as before', async () => {
    expect((await signal({ From_Account: 'vip', To_Account: '@RBT#quiet', Data: 'x', MsgKey: 'k-quiet' })).answer.RspData).toBe('');
    expect((await signal({ From_Account: 'bob', Data: 'x', MsgKey: 'k-none' })).answer).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      RspData: '',
    });
  });
});

describe('checked at load', () => {
  test('reply only where the definition declares replies, and only reply there; template fields must exist', () => {
    const problems = problemsOf({
      rules: [
        { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['x'], reply: 'no' },
        { command: SIGNAL, field: 'Data', in: ['x'], drop: true },
        { command: SIGNAL, reply: 'hi {From_Acount}' },
        { command: SIGNAL, mode: 'shadow', reply: 'hi' },
      ],
    });
    expect(problems).toContain(`rules.0.reply: Group.CallbackBeforeCreateTopic cannot reply (reply is for ${SIGNAL}) (rule 0)`);
    expect(problems).toContain(`rules.1.command: ${SIGNAL} is answered by reply rules only`);
    expect(problems).toContain(`rules.2.reply: reply field "From_Acount" is not in ${SIGNAL}'s body (rule 2)`);
    expect(problems).toContain('rules.3.mode: a reply rule cannot be a shadow');
  });

  test('templates: fields, missing ones empty, braces doubled', () => {
    expect(templateFields('a {x} {{b}} {y.z}')).toEqual(['x', 'y.z']);
    expect(fillTemplate('a {x} {{b}} {missing}!', { x: 1 })).toBe('a 1 {b} !');
  });
});

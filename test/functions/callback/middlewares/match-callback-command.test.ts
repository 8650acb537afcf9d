import { describe, expect, test } from '@jest/globals';
import matchCallbackCommand from '../../../../functions/callback/middlewares/match-callback-command.ts';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
import { commandRegistry } from '../../../../functions/commands/registry.ts';
import { apiGatewayEvent, middyRequest } from '../../../support/api-gateway-event.ts';

function match(query: Record<string, string>, body: Record<string, unknown>) {
  const request = middyRequest(apiGatewayEvent({ query }));
  normalizeEvent().before!(request);
  request.event.body = body as never;
  return { run: () => matchCallbackCommand().before!(request), callback: request.event.callback };
}

const rejection = (reason: string) => expect.objectContaining({ reason, statusCode: 400 });

describe('matchCallbackCommand', () => {
  test('accepts agreeing commands and records the command', () => {
    const { run, callback } = match({ CallbackCommand: 'Group.CallbackAfterCreateGroup' }, { CallbackCommand: 'Group.CallbackAfterCreateGroup' });
    run();
    expect(callback.command).toBe('Group.CallbackAfterCreateGroup');
  });

  test("carries the command's definition and what the body is about, for the handler and the record", () => {
    const { run, callback } = match(
      { CallbackCommand: 'Group.CallbackAfterSendMsg' },
      { CallbackCommand: 'Group.CallbackAfterSendMsg', GroupId: '@TGS#1', From_Account: 'ann', Operator_Account: 'bob', MsgSeq: 7 },
    );
    run();
    expect(callback.definition).toBe(commandRegistry.get('Group.CallbackAfterSendMsg'));
    expect(callback.subjects).toMatchObject({
      groupId: '@TGS#1',
      accounts: [
        { role: 'sender', account: 'ann' },
        { role: 'operator', account: 'bob' },
      ],
      actor: 'ann',
      user: 'ann',
    });
    expect(callback.recordFields).toEqual({});
  });

  test('a command without a definition still carries one: unregistered, with the usual subjects', () => {
    const { run, callback } = match({ CallbackCommand: 'Group.CallbackAfterSomethingNew' }, { GroupId: '@TGS#2', Operator_Account: 'cy' });
    run();
    expect(callback.definition).toMatchObject({ command: 'Group.CallbackAfterSomethingNew', registered: false, kind: 'after' });
    expect([callback.subjects?.groupId, callback.subjects?.accounts]).toEqual(['@TGS#2', [{ role: 'operator', account: 'cy' }]]);
  });

  test('refuses a mismatch, naming both', () => {
    const { run } = match({ CallbackCommand: 'Group.CallbackAfterCreateGroup' }, { CallbackCommand: 'Group.CallbackAfterCreateTopic' });
    expect(run).toThrow(/URL says "Group.CallbackAfterCreateGroup", the body "Group.CallbackAfterCreateTopic"/);
    expect(run).toThrow(rejection('command-mismatch'));
  });

  test('compares exactly: commands differ in case', () => {
    expect(match({ CallbackCommand: 'group.callbackaftercreategroup' }, { CallbackCommand: 'Group.CallbackAfterCreateGroup' }).run).toThrow(
      rejection('command-mismatch'),
    );
  });

  test.each([
    ['none in the URL', {}, { CallbackCommand: 'Group.X' }, /URL has no CallbackCommand/],
    ['an empty one', { CallbackCommand: '' }, { CallbackCommand: '' }, /URL has no CallbackCommand/],
  ])('refuses %s', (_case, query, body, message) => {
    const { run } = match(query, body);
    expect(run).toThrow(message);
    expect(run).toThrow(rejection('missing-command'));
  });

  test.each([
    ['a body that names none (ContentCallback.ResultNotify)', {}],
    ['a batch whose items name none', { Events: [{ EventTime: 1 }] }],
    ['a batch whose items name the same', { Events: [{ CallbackCommand: 'Push.OfflinePush' }, { CallbackCommand: 'Push.OfflinePush' }] }],
    // A peer's model that leaves it unset writes null, as for any field that may be absent.
    ['a body whose CallbackCommand is null', { CallbackCommand: null }],
    ['a batch whose items name none, by null', { Events: [{ CallbackCommand: null }, { CallbackCommand: 'Push.OfflinePush' }] }],
  ])("takes the URL's command for %s", (_case, body) => {
    const { run, callback } = match({ CallbackCommand: 'Push.OfflinePush' }, body);
    run();
    expect(callback.command).toBe('Push.OfflinePush');
  });

  test.each([
    ['a number in the body', { CallbackCommand: 7 }, 'invalid-command'],
    ['an empty one in the body', { CallbackCommand: '' }, 'command-mismatch'],
    ['a batch whose items disagree', { Events: [{ CallbackCommand: 'Push.OfflinePush' }, { CallbackCommand: 'Push.AllMemberPush' }] }, 'command-mismatch'],
  ])('refuses %s', (_case, body, reason) => {
    expect(match({ CallbackCommand: 'Push.OfflinePush' }, body).run).toThrow(rejection(reason));
  });

  test('refuses a URL command that is no command name', () => {
    expect(match({ CallbackCommand: 'not a command!' }, {}).run).toThrow(rejection('invalid-command'));
  });
});

describe('matchCallbackCommand, batches under another URL', () => {
  test('a batch posted under a command that is no batch is refused when its items name another command', () => {
    expect(match({ CallbackCommand: 'Group.CallbackAfterCreateGroup' }, { Events: [{ CallbackCommand: 'Push.OfflinePush' }] }).run).toThrow(
      rejection('command-mismatch'),
    );
  });
});

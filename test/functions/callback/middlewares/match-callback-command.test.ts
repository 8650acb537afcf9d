import { describe, expect, test } from '@jest/globals';
import matchCallbackCommand from '../../../../functions/callback/middlewares/match-callback-command.ts';
import normalizeEvent from '../../../../functions/callback/middlewares/normalize-event.ts';
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

  test('refuses a mismatch, naming both', () => {
    const { run } = match({ CallbackCommand: 'Group.CallbackAfterCreateGroup' }, { CallbackCommand: 'Group.CallbackAfterCreateTopic' });
    expect(run).toThrow(/URL says "Group.CallbackAfterCreateGroup", the body "Group.CallbackAfterCreateTopic"/);
    expect(run).toThrow(rejection('command-mismatch'));
  });

  test('compares exactly: commands differ in case', () => {
    expect(match({ CallbackCommand: 'group.callbackaftercreategroup' }, { CallbackCommand: 'Group.CallbackAfterCreateGroup' }).run).toThrow(rejection('command-mismatch'));
  });

  test.each([
    ['none in the URL', {}, { CallbackCommand: 'Group.X' }, /URL has no CallbackCommand/],
    ['none in the body', { CallbackCommand: 'Group.X' }, {}, /body has no CallbackCommand/],
    ['a number in the body', { CallbackCommand: 'Group.X' }, { CallbackCommand: 7 }, /body has no CallbackCommand/],
    ['an empty one', { CallbackCommand: '' }, { CallbackCommand: '' }, /URL has no CallbackCommand/],
  ])('refuses %s', (_case, query, body, message) => {
    const { run } = match(query, body);
    expect(run).toThrow(message);
    expect(run).toThrow(rejection('missing-command'));
  });
});

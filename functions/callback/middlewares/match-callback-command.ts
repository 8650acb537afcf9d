import type { MiddlewareObj, Request } from '@middy/core';
import { aboutOf } from '../../commands/definition.ts';
import { batchLists, commandDefinition } from '../../commands/registry.ts';
import { isObject } from '../../shared/is-object.ts';
import { CallbackError } from '../callback-error.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

const shown = (value: unknown) => JSON.stringify(typeof value === 'string' ? value.slice(0, 100) : value);

/** Tencent's commands look like `Group.CallbackAfterCreateGroup`: a name, not free text or a key too long to index. */
const commandName = /^[A-Za-z][\w.]{0,127}$/;

/** A body's `CallbackCommand`, if it names one: `null` is none, as in every field that may be absent (null-as-absent.ts). */
const namedIn = (body: Record<string, unknown>): unknown[] =>
  Object.hasOwn(body, 'CallbackCommand') && body.CallbackCommand !== null ? [body.CallbackCommand] : [];

/**
 * The commands the body names: its own `CallbackCommand`, and those of the items of a batch list
 * (the push-result callbacks' `{"Events":[…]}`, docs/protocol.md#push), whatever the URL's command: a batch
 * posted under another command's URL is no more what it claims than a body is. Empty when it names none.
 */
function commandsInBody(body: Record<string, unknown>): unknown[] {
  const named = namedIn(body);
  for (const list of batchLists) {
    const items = body[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) if (isObject(item)) named.push(...namedIn(item));
  }
  return [...new Set(named)];
}

/**
 * Tencent puts `CallbackCommand` in the URL and usually repeats it in the body (docs/protocol.md#body). The
 * URL's is required; the body's, when it has one, must agree: a body posted under another command's
 * URL is not what it claims to be. A body that names none takes the URL's, as Tencent's moderation
 * result (`ContentCallback.ResultNotify`) does. The request then carries the command's definition
 * and what the body is about (callback-event.ts), worked out here once.
 */
export default function matchCallbackCommand(): MiddlewareObj<CallbackEvent, CallbackResult> {
  return {
    before: function matchCallbackCommandBefore({ event }: Request<CallbackEvent, CallbackResult>) {
      const inQuery = event.callback.commandInQuery;
      if (inQuery === undefined || inQuery === '') {
        throw new CallbackError('missing-command', 'the URL has no CallbackCommand query parameter');
      }
      if (!commandName.test(inQuery)) {
        throw new CallbackError('invalid-command', `CallbackCommand ${shown(inQuery)} is not a command name such as Group.CallbackAfterCreateGroup`);
      }
      for (const inBody of commandsInBody(event.body as unknown as Record<string, unknown>)) {
        if (typeof inBody !== 'string') {
          throw new CallbackError('invalid-command', `the body's CallbackCommand is ${shown(inBody)}, not a command name`);
        }
        if (inBody !== inQuery) {
          throw new CallbackError('command-mismatch', `CallbackCommand differs: the URL says ${shown(inQuery)}, the body ${shown(inBody)}`);
        }
      }
      const definition = commandDefinition(inQuery);
      const { subjects, fields } = aboutOf(definition, event.body as unknown as Record<string, unknown>);
      const { callback } = event;
      callback.command = inQuery;
      callback.definition = definition;
      callback.subjects = subjects;
      callback.recordFields = fields;
    },
  };
}

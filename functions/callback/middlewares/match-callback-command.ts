import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { CallbackError } from '../callback-error.ts';

const shown = (value: unknown) => JSON.stringify(typeof value === 'string' ? value.slice(0, 100) : value);

/** Tencent's commands look like `Group.CallbackAfterCreateGroup`: a name, not free text or a key too long to index. */
const commandName = /^[A-Za-z][\w.]{0,127}$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The commands the body names: its own `CallbackCommand`, or, for the push-result callbacks'
 * `{"Events":[…]}` batches, those of its items (protocol.md §1). Empty when it names none.
 */
function commandsInBody(body: Record<string, unknown>): unknown[] {
  if (Object.hasOwn(body, 'CallbackCommand')) return [body.CallbackCommand];
  const { Events: events } = body;
  if (!Array.isArray(events)) return [];
  const named = events.filter((item) => isObject(item) && Object.hasOwn(item, 'CallbackCommand'));
  return [...new Set(named.map((item) => (item as Record<string, unknown>).CallbackCommand))];
}

/**
 * Tencent puts `CallbackCommand` in the URL and usually repeats it in the body (protocol.md §1). The
 * URL's is required; the body's, when it has one, must agree: a body posted under another command's
 * URL is not what it claims to be. A body that names none takes the URL's, as Tencent's moderation
 * result (`ContentCallback.ResultNotify`) does.
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
      event.callback.command = inQuery;
    },
  };
}

import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { CallbackError } from '../callback-error.ts';

const shown = (value: string) => JSON.stringify(value.slice(0, 100));

/** Tencent's commands look like `Group.CallbackAfterCreateGroup`: a name, not free text or a key too long to index. */
const commandName = /^[A-Za-z][\w.]{0,127}$/;

/**
 * The push-result callbacks (`Push.*`) batch events as `{"Events":[…]}`, each item with its own
 * `CallbackCommand` (protocol.md §1): the body's command is theirs, when they all name the same one.
 */
function batchCommand(body: Record<string, unknown>): unknown {
  const { Events: events } = body;
  if (!Array.isArray(events) || events.length === 0) return undefined;
  const commands = new Set(events.map((item: unknown) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>).CallbackCommand : undefined)));
  return commands.size === 1 ? [...commands][0] : undefined;
}

/**
 * Tencent puts `CallbackCommand` in the URL and repeats it in the body (protocol.md §1). Both must be
 * there and agree: a body posted under another command's URL is not what it claims to be.
 */
export default function matchCallbackCommand(): MiddlewareObj<CallbackEvent, CallbackResult> {
  return {
    before: function matchCallbackCommandBefore({ event }: Request<CallbackEvent, CallbackResult>) {
      const inQuery = event.callback.commandInQuery;
      const body = event.body as unknown as Record<string, unknown>;
      const inBody = body.CallbackCommand ?? batchCommand(body);
      if (inQuery === undefined || inQuery === '') {
        throw new CallbackError('missing-command', 'the URL has no CallbackCommand query parameter');
      }
      if (typeof inBody !== 'string' || inBody === '') {
        throw new CallbackError('missing-command', 'the body has no CallbackCommand string');
      }
      if (inQuery !== inBody) {
        throw new CallbackError('command-mismatch', `CallbackCommand differs: the URL says ${shown(inQuery)}, the body ${shown(inBody)}`);
      }
      if (!commandName.test(inBody)) {
        throw new CallbackError('invalid-command', `CallbackCommand ${shown(inBody)} is not a command name such as Group.CallbackAfterCreateGroup`);
      }
      event.callback.command = inBody;
    },
  };
}

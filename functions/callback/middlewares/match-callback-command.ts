import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { CallbackError } from '../callback-error.ts';

const shown = (value: string) => JSON.stringify(value.slice(0, 100));

/** Tencent's commands look like `Group.CallbackAfterCreateGroup`: a name, not free text or a key too long to index. */
const commandName = /^[A-Za-z][\w.]{0,127}$/;

/**
 * Tencent puts `CallbackCommand` in the URL and repeats it in the body (protocol.md §1). Both must be
 * there and agree: a body posted under another command's URL is not what it claims to be.
 */
export default function matchCallbackCommand(): MiddlewareObj<CallbackEvent, CallbackResult> {
  return {
    before: function matchCallbackCommandBefore({ event }: Request<CallbackEvent, CallbackResult>) {
      const inQuery = event.callback.commandInQuery;
      const inBody = (event.body as unknown as Record<string, unknown>).CallbackCommand;
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

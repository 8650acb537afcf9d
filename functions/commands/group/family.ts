import * as v from 'valibot';
import { defineFamily, liveRoom } from '../definition.ts';
import { codes, eventTime, optionalAccount, optionalString } from '../fields.ts';

/**
 * `Group.*`: group and topic callbacks (docs/protocol.md#group). The group is the event's place, a
 * live room's spread wide; the `operator` acted, unless a command says another role did (a message's
 * `sender`). Before-callbacks refuse with 1 (the client gets 10016) or 10100–10200 (passed to the
 * client with `ErrorInfo`) [1047/34368, 1047/34374: docs/protocol.md#group-answers].
 */
export const group = defineFamily({
  family: 'Group',
  fields: {
    CallbackCommand: optionalString,
    GroupId: optionalString,
    // Only topic callbacks and messages in topic communities carry it; any group event may.
    TopicId: optionalString,
    Type: optionalString,
    Operator_Account: optionalAccount,
    EventTime: v.optional(eventTime),
  },
  subjects: { groupId: 'GroupId', topicId: 'TopicId', accounts: { operator: 'Operator_Account' }, actor: 'operator', busy: liveRoom },
  answers: { refusalCodes: codes([1, 1], [10100, 10200]), refusedClientError: 10016 },
});

export { en, zh } from '../pages.ts';

import * as v from 'valibot';
import { defineFamily, EVENT_TIME } from '../definition.ts';
import { eventTime, optionalAccount, optionalInteger, optionalString } from '../fields.ts';

export { en, zh } from '../pages.ts';

/**
 * `Push.*`, the Push plugin's delivery reports (docs/protocol.md#push): a body is a batch
 * `{"Events":[…1–100…]}` with no top-level `CallbackCommand` or `EventTime`; each element carries its
 * own and is stored as an event of its own, so these fields and subjects describe ONE element.
 * `EventTime` is in seconds here, milliseconds everywhere else. The `receiver` is the device owner the
 * push went to: the place, and the one it is by (a push is its device's report). A group message's
 * push is placed on its group (`GroupID`), which is then busy: one event per offline member.
 *
 * `PushPlatform` (0 unknown, 1 APNs, 2 Xiaomi, 3 Huawei, 4 FCM, 5 Meizu, 6 OPPO, 7 vivo, 8 Honor) and
 * `PushStage` (1 send, 2 reach, 3 click) come from doocs; the pages' lists were cut off.
 */
export const push = defineFamily({
  family: 'Push',
  fields: {
    CallbackCommand: optionalString,
    EventType: optionalInteger,
    EventTime: v.optional(eventTime),
    To_Account: optionalAccount,
    PushPlatform: optionalInteger,
    PushStage: optionalInteger,
    ErrCode: optionalInteger,
    ErrInfo: optionalString,
  },
  subjects: { accounts: { receiver: 'To_Account' }, place: 'receiver', actor: 'receiver', busy: true },
  recordFields: { platform: 'PushPlatform', stage: 'PushStage', errCode: 'ErrCode' },
  timeFields: [{ path: EVENT_TIME, unit: 's' }],
});

/** Where the events of a body are. */
export const pushBatch = { list: 'Events' } as const;

import * as v from 'valibot';

/**
 * Field schemas shared by the Group.* callbacks. Every documented field is optional and unknown fields
 * are kept (`looseObject`): Tencent's pages disagree on which fields each command carries
 * (protocol.md §5.2, §7), and a receiver that refuses drift loses events.
 */

const account = v.string();

/** The last millisecond of year 9999: later times have no sortable ISO form. */
const latestEventTime = 253_402_300_799_999;

/** `EventTime` is documented as integer milliseconds, but samples send it as a string too (protocol.md §7). */
export const eventTime = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.digits(), v.toNumber())]),
  v.safeInteger(),
  v.minValue(0),
  v.maxValue(latestEventTime),
);

export const memberList = v.array(v.looseObject({ Member_Account: account }));

export const userDefinedDataList = v.array(v.looseObject({ Key: v.string(), Value: v.string() }));

/** Fields every group or topic event may carry; commands add their own. */
export const groupEventFields = {
  CallbackCommand: v.string(),
  GroupId: v.optional(v.string()),
  Type: v.optional(v.string()),
  Operator_Account: v.optional(account),
  EventTime: v.optional(eventTime),
};

export const optionalString = v.optional(v.string());
export const optionalAccount = v.optional(account);

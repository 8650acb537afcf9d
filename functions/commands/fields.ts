import * as v from 'valibot';
import { LATEST_TIME_MS } from '../shared/latest-time.ts';

/**
 * Field schemas shared across families. Every documented field is optional and unknown fields are
 * kept (`looseObject`): Tencent's pages disagree on which fields each command carries
 * (docs/protocol.md#group-versions, docs/protocol.md#field-types), and a receiver that refuses drift loses events.
 */

export const account = v.string();
export const optionalString = v.optional(v.string());
export const optionalAccount = v.optional(account);
/**
 * An account id as the Live, Room and Call samples send it: a string, as their tables type it, or a
 * bare whole number (`"Owner_Account": 144115216631667826`). One beyond 2^53 reaches the schema as
 * its exact digits (functions/shared/exact-json.ts); a smaller one is read as its decimal text by
 * subjects.ts (docs/protocol.md#big-integers).
 */
export const accountOrNumber = v.union([v.string(), v.pipe(v.number(), v.integer())]);
export const optionalAccountOrNumber = v.optional(accountOrNumber);
export const optionalBoolean = v.optional(v.boolean());
/** A flag the tables type Bool, which a sample sends as `"false"` (Room.CallbackAfterUpdateRoomInfo's `IsCloudRecordingDisabled`). */
export const flag = v.union([v.boolean(), v.picklist(['true', 'false'])]);
export const optionalFlag = v.optional(flag);
/** Integers as the pages type them; a number that arrives as a string is accepted too (docs/protocol.md#field-types). */
export const integer = v.union([v.number(), v.pipe(v.string(), v.digits(), v.toNumber())]);
export const optionalInteger = v.optional(integer);

/** `EventTime` is documented as integer milliseconds, but samples send it as a string too (docs/protocol.md#field-types). */
export const eventTime = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.digits(), v.toNumber())]),
  v.safeInteger(),
  v.minValue(0),
  v.maxValue(LATEST_TIME_MS),
);

export const memberList = v.array(v.looseObject({ Member_Account: optionalAccount }));

/**
 * Custom group fields. `Value` is a string on the pages; the Java SDK types it as an object, so
 * anything is kept.
 */
export const userDefinedDataList = v.array(v.looseObject({ Key: optionalString, Value: v.optional(v.unknown()) }));

/**
 * A message body: TIM elements (TIMTextElem, TIMCustomElem, TIMFaceElem, TIMLocationElem, the media
 * elements…). Their `MsgContent` differs by `MsgType`; the fields a policy may point at are declared,
 * the rest kept as they come.
 */
export const msgBody = v.array(
  v.looseObject({
    MsgType: optionalString,
    MsgContent: v.optional(
      v.looseObject({
        Text: optionalString,
        Desc: optionalString,
        Data: optionalString,
        Ext: optionalString,
        Sound: optionalString,
        Index: optionalInteger,
        Latitude: v.optional(v.number()),
        Longitude: v.optional(v.number()),
        Url: optionalString,
        UUID: optionalString,
      }),
    ),
  }),
);

/**
 * What a send-message callback's answer may rewrite: the `Text` of its text elements, answered with
 * the whole `MsgBody` (docs/protocol.md#group-answers, docs/protocol.md#c2c-answers, docs/protocol.md#official-account).
 */
export const rewriteMessageText = { text: 'MsgBody[].MsgContent.Text' } as const;

/** `{"ActionStatus":"OK","ErrorCode":0}`'s refusal ranges: `ErrorCode` 1, and a family's custom range. */
export const codes = (...ranges: [number, number][]) => ranges.map(([min, max]) => ({ min, max }));

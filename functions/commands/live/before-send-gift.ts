import * as v from 'valibot';
import { defaultTimeFields } from '../definition.ts';
import { accountOrNumber, optionalAccountOrNumber, optionalInteger, optionalString } from '../fields.ts';
import { live, rtcZh, trtc } from './family.ts';

/**
 * A viewer sends gifts (`GiftWater`: `Count` of `GiftId`, each worth `Coins`, `Time` in seconds) to
 * `To_Account`. Fail-closed: if Live gets no answer within 2 s, the gift is refused, unless the app
 * chose `Live.CallbackBeforeCallBackNotBlock` (docs/protocol.md#live-gift). Answer `ErrorCode` 0
 * allows, 1 refuses, 102100–102200 refuse with the app's code passed to the client. No `EventTime`.
 */
export const liveBeforeSendGift = live.before('Live.CallbackBeforeSendGift', {
  summary: 'A viewer sends a gift in a live room (the policy decides)',
  sources: [trtc(72210), rtcZh(121916)],
  fields: {
    GiftWater: v.optional(
      v.looseObject({
        From_Account: optionalAccountOrNumber,
        To_Account: v.optional(v.array(accountOrNumber)),
        Time: optionalInteger,
        GiftId: optionalString,
        Count: optionalInteger,
        Coins: optionalInteger,
      }),
    ),
  },
  subjects: { accounts: { sender: 'GiftWater.From_Account', receiver: 'GiftWater.To_Account[]' }, actor: 'sender' },
  recordFields: { giftId: 'GiftWater.GiftId', count: 'GiftWater.Count', coins: 'GiftWater.Coins' },
  timeFields: [...defaultTimeFields, { path: 'GiftWater.Time', unit: 's' }],
  example: {
    CallbackCommand: 'Live.CallbackBeforeSendGift',
    Operator_Account: 'brennanli',
    RoomId: 'room_id',
    GiftWater: { From_Account: 'from', To_Account: ['to1'], Time: 1703589922, GiftId: 'gift1', Count: 1, Coins: 1000 },
  },
});

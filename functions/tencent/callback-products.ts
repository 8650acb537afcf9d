/**
 * The products whose callback URL and command list Tencent's REST API sets (unlike Chat's, which only
 * the console sets): Live (TUILiveKit) and Call (TUICallKit). Each has its own URL per SDKAppID
 * ("Only one callback can be set per sdkAppId", https://www.tencentcloud.com/document/product/647/64412).
 *
 * Live: `set_callback` creates and answers 100300 when a configuration exists, `update_callback`
 * changes it (https://trtc.io/document/64420, https://trtc.io/document/64419), `get_callback` reads it
 * (https://www.tencentcloud.com/document/product/1071/78177). Call: `set_callback` creates or
 * "overwrites the old one" (https://trtc.io/document/68938), `get_callback` answers 100301 when none
 * exists (https://trtc.io/document/68937). Both take `{"Url","CallbackCommandList"}`; Url must start
 * with http or https.
 */
import * as v from 'valibot';

/**
 * The Live commands, after- and before-callbacks, from the command list (https://trtc.io/document/64413,
 * https://cloud.tencent.com/document/product/269/117536) and their pages. Left out: the Group.* and
 * Follow.* callbacks Live uses, switched on with Chat's callbacks (https://cloud.tencent.com/document/product/647/124711),
 * and `Live.CallbackBeforeCallBackNotBlock`, a switch (gifts pass when the receiver does not answer)
 * rather than a callback: add it to --commands to choose it.
 *
 * TODO(registry): a later task adds these commands to functions/commands/; this list is then replaced
 * by the registry's Live commands, so that `--commands all` is whatever the receiver knows.
 */
export const liveCallbackCommands = [
  'Live.CallbackAfterCreateRoom', // https://trtc.io/document/64422
  'Live.CallbackAfterDestroyRoom', // https://trtc.io/document/64423
  'Live.CallbackAfterUpdateRoomInfo', // https://trtc.io/document/67938
  'Live.CallbackAfterSetMetadata', // https://trtc.io/document/68222
  'Live.CallbackAfterDelMetadata', // https://trtc.io/document/68223
  'Live.CallbackAfterCreateRoomReachingThreshold', // https://trtc.io/document/70485
  'Live.CallbackAfterMemberStateChanged', // https://trtc.io/document/64424
  'Live.CallbackAfterChangeOwner', // https://trtc.io/document/72553
  'Live.CallbackAfterModifyAdmin', // https://trtc.io/document/72554
  'Mic.CallbackAfterSeatInfoChanged', // https://trtc.io/document/64425
  'Live.CallbackAfterCreateBattle', // https://trtc.io/document/68259
  'Live.CallbackAfterStartBattle', // https://trtc.io/document/68260
  'Live.CallbackAfterEndBattle', // https://trtc.io/document/68261
  // Fail-closed: without an answer within 2 s the gift is refused (https://trtc.io/document/72210).
  'Live.CallbackBeforeSendGift',
  'Live.CallbackAfterCloudRecordingChanged', // https://cloud.tencent.com/document/product/269/129603
] as const;

/**
 * The Call commands (https://www.tencentcloud.com/document/product/647/68934): all after-callbacks.
 *
 * TODO(registry): replaced by the registry's Call commands when they are added there, as above.
 */
export const callCallbackCommands = [
  'Call.CallbackAfterStartCall', // https://trtc.io/document/68941
  'Call.CallbackAfterEndCall', // https://trtc.io/document/68940
  'Call.CallbackAfterMemberChanged', // https://trtc.io/document/69215
] as const;

export interface CallbackProduct {
  /** The REST service, e.g. `live_config`. */
  readonly service: string;
  /** Whether `set_callback` refuses an existing configuration (100300), which `update_callback` then changes. */
  readonly setRefusesExisting: boolean;
  /** What `--commands all` means. */
  readonly commands: readonly string[];
}

export const callbackProducts = {
  live: { service: 'live_config', setRefusesExisting: true, commands: liveCallbackCommands },
  call: { service: 'call_config', setRefusesExisting: false, commands: callCallbackCommands },
} as const satisfies Record<string, CallbackProduct>;

export type CallbackProductName = keyof typeof callbackProducts;

/** set_callback's answer when a configuration already exists (https://trtc.io/document/64420). */
export const callbackConfigExists = 100300;
/**
 * get_callback's answer when none exists (https://trtc.io/document/68937, Call). The Live page lists no
 * such code; the same one is assumed, as the two APIs share their other codes.
 */
export const callbackConfigMissing = 100301;

/** The configuration, in Tencent's field names. */
export const CallbackConfigSchema = v.object({ Url: v.string(), CallbackCommandList: v.array(v.string()) });
export type CallbackConfig = v.InferOutput<typeof CallbackConfigSchema>;

/** get_callback's answer: the configuration is its `Response`. */
export const GetCallbackAnswerSchema = v.looseObject({ Response: v.optional(CallbackConfigSchema) });

/** The product's REST API for an action, e.g. `live_config/set_callback`. */
export const callbackApi = (product: CallbackProductName, action: 'set_callback' | 'update_callback' | 'get_callback') =>
  `${callbackProducts[product].service}/${action}`;

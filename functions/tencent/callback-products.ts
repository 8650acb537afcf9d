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

export interface CallbackProduct {
  /** The REST service, e.g. `live_config`. */
  readonly service: string;
  /** Whether `set_callback` refuses an existing configuration (100300), which `update_callback` then changes. */
  readonly setRefusesExisting: boolean;
}

export const callbackProducts = {
  live: { service: 'live_config', setRefusesExisting: true },
  call: { service: 'call_config', setRefusesExisting: false },
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

import type { MiddlewareObj, Request } from '@middy/core';
import { type SettingName, settingVariables } from '../../shared/settings.ts';
import { CallbackError } from '../callback-error.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

/** The setting that adds an SDKAppID, as a refusal names it: whoever reads the answer can fix it there. */
const SETTING: SettingName = 'sdkAppIds';
const whereToAdd = `add it to the ${SETTING} setting (${settingVariables[SETTING]} locally)`;

export interface VerifySdkAppIdOptions {
  /** The SDKAppIDs whose callbacks are accepted. Required, at least one. */
  readonly sdkAppIds: readonly string[];
}

/** Every Tencent callback page says to check that `SdkAppid` in the URL is the app's own (docs/protocol.md#sdkappid). */
export default function verifySdkAppId(options: VerifySdkAppIdOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  if (options.sdkAppIds.length === 0) throw new TypeError('verifySdkAppId: sdkAppIds must name at least one SDKAppID');
  const accepted = new Set(options.sdkAppIds);

  return {
    before: function verifySdkAppIdBefore({ event: { callback } }: Request<CallbackEvent, CallbackResult>) {
      if (callback.sdkAppId === undefined || callback.sdkAppId === '') {
        throw new CallbackError('missing-sdkappid', 'the URL has no SdkAppid query parameter');
      }
      if (!accepted.has(callback.sdkAppId)) {
        throw new CallbackError(
          'unknown-sdkappid',
          `SdkAppid ${JSON.stringify(callback.sdkAppId.slice(0, 40))} is not an SDKAppID this receiver accepts: ${whereToAdd}`,
        );
      }
    },
  };
}

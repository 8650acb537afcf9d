import * as v from 'valibot';
import { optionalAccount, optionalString } from '../fields.ts';
import { text } from '../projection.ts';
import { state } from './family.ts';

/** Login is a TCP connection made; Logout one closed; Disconnect the network lost (or a 400 s heartbeat timeout). */
const online: Readonly<Record<string, boolean>> = { Login: true, Logout: false, Disconnect: false };

/**
 * `Info.Action` is Login, Logout, Disconnect (or CustomStatusChange, which changes no connection);
 * `KickedDevice` only on a Login that kicked other devices off; the platform is the URL's.
 */
export const stateStateChange = state.after('State.StateChange', {
  summary: "A user's online state changed (login, logout, disconnect)",
  sources: ['www.tencentcloud.com/zh/document/product/1047/34357', 'trtc.io/ja/document/34357'],
  fields: {
    Info: v.optional(v.looseObject({ Action: optionalString, To_Account: optionalAccount, Reason: optionalString })),
    // Platform is a string whatever its spelling: the ZH page writes `IOS` in capitals, others `iOS`.
    KickedDevice: v.optional(v.array(v.looseObject({ Platform: optionalString }))),
    CustomStatus: optionalString,
  },
  projection: (body, { optPlatform }) => {
    const account = text(body, 'Info.To_Account');
    const action = text(body, 'Info.Action');
    if (account === undefined || action === undefined) return [];
    return [
      {
        on: 'presence',
        account,
        set: { lastAction: action, ...(Object.hasOwn(online, action) ? { online: online[action] } : {}), ...(optPlatform ? { platform: optPlatform } : {}) },
      },
    ];
  },
  example: {
    CallbackCommand: 'State.StateChange',
    EventTime: 1629883332497,
    Info: { Action: 'Login', To_Account: 'testuser316', Reason: 'Register' },
    KickedDevice: [{ Platform: 'Windows' }, { Platform: 'Android' }],
  },
});

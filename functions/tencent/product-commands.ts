/**
 * The commands each product's callback settings may send, from the command registry: what
 * `npm run tencent -- set-callback --commands all` sets. Apart from callback-products.ts so that the
 * REST client (bundled into functions) does not bring the registry with it.
 */
import { commandsOfProduct } from '../commands/registry.ts';
import type { CallbackProductName } from './callback-products.ts';

/**
 * The Live commands, after- and before-callbacks: the registry's (`Live.*` and the seats, `Mic.*`),
 * whose definitions say Live's settings send them, from the command list (https://trtc.io/document/64413,
 * https://cloud.tencent.com/document/product/269/117536). Left out: the Group.* and Follow.* callbacks
 * Live uses, switched on with Chat's callbacks (https://cloud.tencent.com/document/product/647/124711),
 * and `Live.CallbackBeforeCallBackNotBlock`, a switch (gifts pass when the receiver does not answer)
 * rather than a callback: add it to --commands to choose it. `Live.CallbackBeforeSendGift` is
 * fail-closed: without an answer within 2 s the gift is refused (https://trtc.io/document/72210).
 */
export const liveCallbackCommands: readonly string[] = commandsOfProduct('live');

/** The Call commands (https://www.tencentcloud.com/document/product/647/68934): all after-callbacks, the registry's. */
export const callCallbackCommands: readonly string[] = commandsOfProduct('call');

/** The commands a product's settings may send, by its name. */
export const productCommands: Readonly<Record<CallbackProductName, readonly string[]>> = { live: liveCallbackCommands, call: callCallbackCommands };

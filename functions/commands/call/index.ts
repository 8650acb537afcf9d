import type { CommandDefinition } from '../definition.ts';
import { callAfterEndCall } from './after-end-call.ts';
import { callAfterMemberChanged } from './after-member-changed.ts';
import { callAfterStartCall } from './after-start-call.ts';

/** TUICallKit's three callbacks (www.tencentcloud.com/document/product/647/68934), in its list's order. */
export const callCommands: readonly CommandDefinition[] = [callAfterStartCall, callAfterEndCall, callAfterMemberChanged];

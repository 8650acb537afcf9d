import type { CommandDefinition } from '../definition.ts';
import { micAfterSeatInfoChanged } from './after-seat-info-changed.ts';

/** The one seat callback, shared by Live (trtc.io/document/64425) and Room (trtc.io/document/60736). */
export const micCommands: readonly CommandDefinition[] = [micAfterSeatInfoChanged];

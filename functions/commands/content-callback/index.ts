import type { CommandDefinition } from '../definition.ts';
import { contentCallbackResultNotify } from './result-notify.ts';

export const contentCallbackCommands: readonly CommandDefinition[] = [contentCallbackResultNotify];

import type { CommandDefinition } from '../definition.ts';
import { alertRequestOverLimit } from './request-over-limit.ts';

export const alertCommands: readonly CommandDefinition[] = [alertRequestOverLimit];

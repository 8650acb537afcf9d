/**
 * Which events `npx tencent-im listen` asks the bus for: an EventBridge event pattern built from the
 * same filters as `events` (--command, --group, --user, --app), matched on the entry the fan-out
 * publishes (functions/fan-out/event-entry.ts: detail-type the command, the ids in the detail).
 */
import { EVENT_SOURCE, type EventDetail } from '../functions/fan-out/event-schema.ts';
import { commandProblem } from '../infra/on-event.ts';
import { OptionsError } from './command.ts';

export interface ListenFilter {
  readonly commands: readonly string[];
  readonly groupId?: string;
  readonly user?: string;
  readonly sdkAppId?: string;
}

/** The pattern: every event of the receiver (source tencent.im), narrowed by each filter given. */
export function listenPattern(filter: ListenFilter): Record<string, unknown> {
  const detail: { [Field in keyof EventDetail]?: string[] } = {
    ...(filter.groupId === undefined ? {} : { groupId: [filter.groupId] }),
    ...(filter.user === undefined ? {} : { user: [filter.user] }),
    ...(filter.sdkAppId === undefined ? {} : { sdkAppId: [filter.sdkAppId] }),
  };
  return {
    source: [EVENT_SOURCE],
    ...(filter.commands.length === 0 ? {} : { 'detail-type': [...filter.commands] }),
    ...(Object.keys(detail).length === 0 ? {} : { detail }),
  };
}

/** A command the bus never carries matches nothing, silently: refused as onEvent refuses it, with the nearest name. */
export function checkListenCommand(name: string): string {
  const problem = commandProblem(name);
  if (problem !== undefined) throw new OptionsError(`--command ${problem}`);
  return name;
}

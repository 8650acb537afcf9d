import type * as events from 'aws-cdk-lib/aws-events';
import { afterCommands, beforeCommands } from '../functions/commands/registry.ts';
import { EVENT_SOURCE } from '../functions/fan-out/event-schema.ts';
import { nearestName } from '../functions/shared/edit-distance.ts';
import { SettingsError } from '../functions/shared/settings.ts';
import type { AfterCommand } from './received-event.ts';

export interface OnEventOptions {
  /** The after-commands whose events the rule matches (their `detail-type`). @default - every command */
  readonly commands?: readonly AfterCommand[];
  /** Where the events go; more can be added with the rule's addTarget. @default - none yet */
  readonly target?: events.IRuleTarget;
  /** @default - what the receiver and the commands are */
  readonly description?: string;
  /** @default - a name CloudFormation gives */
  readonly ruleName?: string;
  /** @default true */
  readonly enabled?: boolean;
}

/** Why a name is no after-command to subscribe to, or undefined when it is one (onEvent, `npx tencent-im listen`). */
export function commandProblem(name: string): string | undefined {
  if (afterCommands.includes(name)) return undefined;
  if (beforeCommands.includes(name)) return `${name} is a before-callback: it is answered, never stored, so never published`;
  const meant = nearestName(name, afterCommands);
  return `${name} is no after-command of the registry${meant === undefined ? ' (npm run commands lists them)' : `; did you mean ${meant}?`}`;
}

/**
 * The pattern of a rule for a receiver's events: source `tencent.im`, its SDKAppIDs, and the
 * commands as detail-type (or any). `where` names the call in the error a wrong command gets.
 */
export function eventPattern(where: string, sdkAppIds: readonly string[], commands?: readonly string[]): events.EventPattern {
  if (commands !== undefined) {
    const problems = [
      ...(commands.length === 0 ? ['commands is empty: leave it out for every command'] : []),
      ...commands.flatMap((name) => commandProblem(name) ?? []),
    ];
    if (problems.length > 0) throw new SettingsError(`${where}: ${problems.join('; ')}`);
  }
  return {
    source: [EVENT_SOURCE],
    ...(commands === undefined ? {} : { detailType: [...new Set(commands)] }),
    detail: { sdkAppId: [...sdkAppIds] },
  };
}

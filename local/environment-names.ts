/**
 * Environment variables are strict too: one that looks like a setting but is none (`IM_SDKAPPID` for
 * `IM_SDKAPPIDS`, `IM_POLCY`) stops the command and names the one meant, as a mistyped `-c` key stops
 * synth (infra/strict-context.ts, whose matching this reuses). Otherwise the default is used without a
 * word: the example SDKAppID, so every real callback gets 403; no policy at all.
 *
 * Every `IM_*` variable is this project's: one that is not a setting is refused even when it looks
 * like none. Other variables are refused only when they look like one of ours (`DATA_DIRS`), since the
 * environment is full of other programs' names. "Ours" is every variable the settings' schemas
 * declare, so a setting added there is known here without a change.
 */

import { debugVariable } from '../cli/fail.ts';
import { CallbackEnvironmentSchema } from '../functions/shared/function-environment.ts';
import { intendedSetting } from '../functions/shared/intended-setting.ts';
import { settingVariables } from '../functions/shared/settings.ts';
import { credentialVariables } from '../functions/tencent/tencent-credentials.ts';
import { LocalSettingsSchema } from './local-settings.ts';

const PREFIX = 'IM_';

/** Every environment variable a program of this project reads: its commands, npm start, the deployed functions. */
export const knownVariables: readonly string[] = [
  ...Object.values(settingVariables),
  ...Object.keys(LocalSettingsSchema.entries),
  ...Object.values(credentialVariables),
  ...Object.keys(CallbackEnvironmentSchema.entries),
  debugVariable.name,
];

/** Names shorter than this are left alone unless they start with IM_: `PORT` is a slip away from too many others' names. */
const MIN_FOREIGN_LENGTH = 8;

/** Each problem with the environment's names, as a line (cli/command.ts stops on any, all said at once): empty when there is none. */
export function environmentNameProblems(env: NodeJS.ProcessEnv, known: readonly string[] = knownVariables): string[] {
  const ours = known.filter((name) => name.startsWith(PREFIX));
  const others = known.filter((name) => !name.startsWith(PREFIX) && name.length >= MIN_FOREIGN_LENGTH);
  return (
    Object.keys(env)
      // An empty variable means unset, as shells use it (local-settings.ts reads it so too).
      .filter((name) => (env[name] ?? '') !== '' && !known.includes(name))
      .flatMap((name) => {
        if (name.toUpperCase().startsWith(PREFIX)) {
          const meant = intendedSetting(name, ours);
          return [
            `  - ${name} (environment variable): not a setting; ${meant === undefined ? `the ${PREFIX}* settings are ${ours.join(', ')}` : `did you mean ${meant}?`}`,
          ];
        }
        const meant = intendedSetting(name, others);
        return meant === undefined ? [] : [`  - ${name} (environment variable): not a setting; did you mean ${meant}?`];
      })
  );
}

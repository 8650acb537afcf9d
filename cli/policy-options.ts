import { parseArgs } from 'node:util';
import { OptionsError } from './command.ts';
import { parseTimeOption, TIME_HELP } from './time-option.ts';

/** `npm run policy -- …`: what was asked, checked before anything is read. */
export type PolicyCliOptions =
  | { readonly action: 'check'; readonly file: string }
  | {
      readonly action: 'backtest';
      readonly file: string;
      readonly current?: string;
      readonly since?: number;
      readonly commands?: readonly string[];
      readonly json: boolean;
      readonly table?: string;
      readonly region?: string;
      readonly app?: string;
    }
  | { readonly action: 'deploy'; readonly file: string; readonly stack: string; readonly region?: string; readonly receiver?: string; readonly wait: boolean };

export const policyUsage = `Usage: npx tencent-im policy --check FILE
       npx tencent-im policy --backtest FILE [--current FILE] [--since TIME] [--command NAME]… [--json]
                             [--table NAME [--region R]] [--app SDKAPPID]
       npx tencent-im policy --deploy FILE --stack NAME [--receiver ID] [--region R] [--no-wait]
       (or npm run policy -- …, with the -- before the options)

--check     checks a policy file as the receiver, synth and the AppConfig validator do.
--backtest  replays the stored sent messages (group, one-to-one, official account) through FILE and
            through the current policy (the settings', or --current FILE), and prints per rule what
            would change. The local store unless --table names a deployed events table. TIME is
            ${TIME_HELP}; default 7d.
--deploy    pushes FILE to the stack's AppConfig profile (docs/policy.md#without-a-deploy): checked
            here first, then by the stack's validator, rolled out by its deployment strategy.`;

/** `now` anchors `--since 7d`. */
export function parsePolicyOptions(args: string[], now: number = Date.now()): PolicyCliOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        check: { type: 'string' },
        backtest: { type: 'string' },
        deploy: { type: 'string' },
        current: { type: 'string' },
        since: { type: 'string' },
        command: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        table: { type: 'string' },
        region: { type: 'string' },
        app: { type: 'string' },
        stack: { type: 'string' },
        receiver: { type: 'string' },
        'no-wait': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const actions = (['check', 'backtest', 'deploy'] as const).filter((name) => values[name] !== undefined);
  if (actions.length !== 1) throw new OptionsError('give exactly one of --check, --backtest or --deploy');
  const action = actions[0]!;
  const file = values[action] as string;
  if (action === 'check') return { action, file };
  if (action === 'deploy') {
    if (typeof values.stack !== 'string') throw new OptionsError('--deploy needs --stack NAME (the stack whose AppConfig profile takes the policy)');
    return {
      action,
      file,
      stack: values.stack,
      ...(typeof values.region === 'string' ? { region: values.region } : {}),
      ...(typeof values.receiver === 'string' ? { receiver: values.receiver } : {}),
      wait: values['no-wait'] !== true,
    };
  }
  const since = parseTimeOption(typeof values.since === 'string' ? values.since : '7d', now);
  if (typeof since === 'string') throw new OptionsError(`--since ${since}`);
  if (values.region !== undefined && values.table === undefined) throw new OptionsError('--region is for a deployed table: give --table NAME too');
  return {
    action,
    file,
    since,
    json: values.json === true,
    ...(typeof values.current === 'string' ? { current: values.current } : {}),
    ...(Array.isArray(values.command) ? { commands: values.command } : {}),
    ...(typeof values.table === 'string' ? { table: values.table } : {}),
    ...(typeof values.region === 'string' ? { region: values.region } : {}),
    ...(typeof values.app === 'string' ? { app: values.app } : {}),
  };
}

/**
 * `npx tencent-im trigger <command> [--set Field=value …]`: sends the command's example (its
 * definition's, happening now) to the npm start running on DATA_DIR, or to `--url`, as Tencent would:
 * Tencent's query, signed when IM_CALLBACK_TOKEN is set. Prints the answer on stdout.
 */
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/sdk-app-id.ts';
import { SettingsError, settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { OptionsError, runCommand } from './command.ts';
import { checkCanSign, receiverTarget, reportSent, sendCallback, shellTokens } from './receiver-target.ts';
import { triggerBody } from './trigger-body.ts';

export const usage = `Usage: npx tencent-im trigger <command> [--set Field=value …] [--app SDKAPPID] [--url URL] [--dry-run]

Sends the command's example body (npx tencent-im commands lists them), its EventTime set to now, to
the npm start running on DATA_DIR (or to --url: a deployed CallbackUrl, a tunnel's), as Tencent
would: its query, and RequestTime and Sign when IM_CALLBACK_TOKEN is set here. Prints the answer on
stdout; exit 1 unless it is HTTP 200.

  --set Field=value   change a field of the example; Field may be a path (MsgBody.0.MsgContent.Text);
                      the value keeps the example's type there (a string stays a string)
  --app SDKAPPID      the SdkAppid to send (default: the receiver's first)
  --url URL           another receiver (default: the npm start on DATA_DIR)
  --dry-run           print the body that would be sent, send nothing`;
export const expected = (error: Error) => error instanceof SettingsError;

export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { set: { type: 'string', multiple: true }, app: { type: 'string' }, url: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new OptionsError('give one command, e.g. npx tencent-im trigger Group.CallbackAfterCreateGroup');
  const command = positionals[0]!;
  if (values.app !== undefined && !v.is(sdkAppId, values.app)) throw new OptionsError(`--app ${values.app}: must be an SDKAppID, a number such as 1400000000`);
  if (values.url !== undefined && !/^https?:\/\//i.test(values.url)) throw new OptionsError(`--url ${values.url}: must be an http:// or https:// URL`);
  const body = JSON.stringify(triggerBody(command, values.set ?? []));
  if (values['dry-run']) {
    console.log(body);
    return;
  }
  const target = receiverTarget(values.url, process.env);
  const tokens = shellTokens(process.env);
  checkCanSign(target, tokens);
  const app = values.app ?? target.sdkAppIds?.[0] ?? settingsFromContextAndEnvironment(cdkJsonContext(), process.env).sdkAppIds[0]!;
  reportSent(await sendCallback(target, { sdkAppId: app, command, body }, tokens), command);
}

if (import.meta.main) await runCommand('trigger', { usage, main, expected }, process.argv.slice(2));

/**
 * `npx tencent-im tencent set-callback|get-callback --product live|call …` (cli/tencent-options.ts): the Live
 * and Call callback configuration through Tencent's REST API (functions/tencent/; docs/tencent-rest.md#cli).
 * stdout carries only the configuration, as JSON; what happened goes to stderr; a failure is one line
 * (cli/fail.ts).
 */
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/sdk-app-id.ts';
import { productCommands } from '../functions/tencent/product-commands.ts';
import { TencentRestError } from '../functions/tencent/rest-errors.ts';
import {
  CredentialsSourceError,
  credentialsFromEnvironment,
  readCredentialsSecret,
  type TencentCredentials,
} from '../functions/tencent/tencent-credentials.ts';
import { TencentRestClient } from '../functions/tencent/tencent-rest-client.ts';
import { runCommand } from './command.ts';
import { UsageError } from './fail.ts';
import { parseTencentOptions, type TencentActionOptions, type TencentOptions, tencentUsage } from './tencent-options.ts';

export const usage = tencentUsage;
export const expected = (error: Error) => error instanceof TencentRestError || error instanceof CredentialsSourceError;

/** Local use: the SDKAppID from --app, else IM_SDKAPPIDS when it holds exactly one. */
function localSdkAppId(options: TencentActionOptions): { id: string; setting: string } {
  if (options.app !== undefined) return { id: options.app, setting: '--app' };
  const ids = (process.env.IM_SDKAPPIDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 1 && v.is(sdkAppId, ids[0])) return { id: ids[0]!, setting: 'IM_SDKAPPIDS' };
  throw new UsageError(
    `Give --app SDKAPPID: the app whose callbacks to ${options.action === 'set-callback' ? 'set' : 'show'} (IM_SDKAPPIDS holds ${ids.length} ids)`,
  );
}

async function credentials(options: TencentActionOptions): Promise<TencentCredentials> {
  if (options.secret === undefined) {
    const app = localSdkAppId(options);
    return credentialsFromEnvironment(process.env, app.id, app.setting);
  }
  const fromSecret = await readCredentialsSecret(options.secret);
  if (options.app !== undefined && options.app !== fromSecret.sdkAppId) {
    throw new UsageError(`--app ${options.app} is not the SDKAppID in the Secrets Manager secret ${options.secret} (${fromSecret.sdkAppId})`);
  }
  return fromSecret;
}

export async function main(args: string[]): Promise<void> {
  const parsed: TencentOptions = parseTencentOptions(args);
  if (parsed.action === 'help') {
    console.log(tencentUsage);
    return;
  }
  const options: TencentActionOptions = parsed;
  const client = new TencentRestClient({
    credentials: await credentials(options),
    domain: options.domain,
    baseUrl: options.baseUrl,
    settingNames: { domain: options.baseUrl === undefined ? '--domain (the data centre the SDKAppID was created in)' : '--base-url' },
    onRetry: ({ error, delayMs }) => console.error(`${error.message}; trying again in ${delayMs} ms`),
  });
  const app = `SDKAppID ${client.sdkAppId}`;
  if (options.action === 'set-callback') {
    const known = productCommands[options.product];
    const commands = options.commands[0] === 'all' ? known : options.commands;
    const unknown = commands.filter((command) => !known.includes(command));
    if (unknown.length > 0) console.error(`Not a ${options.product} command this project knows (sent as given): ${unknown.join(', ')}`);
    const outcome = await client.setCallback(options.product, { Url: options.url!, CallbackCommandList: [...commands] });
    const verb = { created: 'Created', updated: 'Updated', set: 'Set' }[outcome];
    console.error(`${verb} the ${options.product} callback configuration of ${app}: ${commands.length} commands to ${options.url}`);
  }
  const config = await client.getCallback(options.product);
  if (config === undefined) console.error(`No ${options.product} callback configuration is set for ${app}`);
  console.log(JSON.stringify(config ?? null, null, 2));
}

if (import.meta.main) await runCommand('tencent', { usage, main, expected }, process.argv.slice(2));

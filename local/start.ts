/**
 * `npm start` (`npx tencent-im start`): the receiver on this machine, no AWS account needed. Settings
 * come from cdk.json's context, overridden by IM_SDKAPPIDS, IM_POLICY and EVENT_RETENTION_DAYS; PORT,
 * DATA_DIR and DYNAMODB_PORT say where it runs (local/local-settings.ts).
 */

import { parseArgs } from 'node:util';
import { runCommand } from '../cli/command.ts';
import { recordLine } from '../functions/callback/record-line.ts';
import { commandDefinition } from '../functions/commands/registry.ts';
import { type Settings, SettingsError, settingsFromContextAndEnvironment, settingVariables } from '../functions/shared/settings.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { callbackQuery } from './callback-url.ts';
import { dataDirLayout } from './data-dir.ts';
import { awsCliScan, LOCAL_TABLE_NAME } from './embedded-store.ts';
import { shellBodyNow } from './example-now.ts';
import { type LocalReceiver, startLocalReceiver } from './local-server.ts';
import { type LocalSettings, listenHosts, localSettingsFromEnvironment } from './local-settings.ts';
import { policyFileOf } from './policy-watch.ts';
import { announceReceiver } from './running-receiver.ts';

export const usage = `Usage: npm start    (or npx tencent-im start)

Runs the receiver on this machine: the callback route at http://127.0.0.1:PORT/callback, the
inspector at http://127.0.0.1:PORT/, over an embedded DynamoDB-compatible store in DATA_DIR.
Settings come from cdk.json's context and environment variables (npx tencent-im settings lists
them); Ctrl-C stops it once the requests under way are answered. See docs/local.md.`;
export const expected = (error: Error) => error instanceof SettingsError;

async function start() {
  const settings = settingsFromContextAndEnvironment(cdkJsonContext(), process.env);
  const local = localSettingsFromEnvironment(process.env);
  const receiver = await startLocalReceiver({
    settings,
    // An `@file` policy is followed: each save is checked and put in force, or refused in one line.
    policyFile: policyFileOf(process.env[settingVariables.policy] || cdkJsonContext()('policy')),
    port: local.PORT,
    host: local.HOST,
    // A callback through a tunnel with no token to check: said once, where the developer looks.
    onForeignHost:
      local.IM_CALLBACK_TOKEN.length === 0
        ? (host) => console.log(`WARNING: a callback came through ${JSON.stringify(host)} (a tunnel?) and no callback token is set: ${unsignedRisk}`)
        : undefined,
    dynamodbPort: local.DYNAMODB_PORT,
    dataDir: local.DATA_DIR,
    dynamodbEndpoint: local.DYNAMODB_ENDPOINT,
    tokens: local.IM_CALLBACK_TOKEN,
    forwardUrl: local.IM_FORWARD_URL,
    // The line the Lambda function writes, without metrics, and with the time (no log service stamps it here).
    log: local.LOG_FORMAT === 'json' ? recordLine({ logLevel: settings.logLevel, sdkAppIds: settings.sdkAppIds, timestamp: true }) : undefined,
    // The page at `/` (docs/local.md#inspector), with the synced view of each callback's group or user.
    inspector: {},
  });
  return { settings, local, receiver };
}

/** What an unsigned receiver reachable from elsewhere risks, and what to do: said by the banner and the foreign-Host warning. */
const unsignedRisk = 'anyone who can reach it can store events. Set IM_CALLBACK_TOKEN, and the same token in the Chat console (docs/local.md#tunnels).';

/** The command the banner's curl and trigger line send: the registry's own example of it. */
const SAMPLE_COMMAND = 'Group.CallbackAfterCreateGroup';

/**
 * A curl that sends the command's example to `callbackUrl` as Tencent would, its time fields filled
 * in by the shell when it runs (example-now.ts), so the line works pasted now or in an hour, here or
 * in the README. With a token it signs as Tencent does, from IM_CALLBACK_TOKEN in the shell it is
 * pasted into (the token is never printed); a shell without it stops with a line saying so, instead
 * of sending a Sign the receiver must refuse.
 */
export function sampleCurl(callbackUrl: string, sdkAppId: string, signed: boolean, command = SAMPLE_COMMAND): string {
  const definition = commandDefinition(command);
  const body = shellBodyNow(definition, definition.example);
  const query = callbackQuery({ sdkAppId, command });
  if (!signed) return `curl -s '${callbackUrl}?${query}' -d ${body}`;
  const token = `K=\${IM_CALLBACK_TOKEN:?export IM_CALLBACK_TOKEN first, the token npm start was given}`;
  return `T=$(date +%s); ${token}; curl -s "${callbackUrl}?${query}&RequestTime=$T&Sign=$(printf '%s%s' "\${K%%,*}" "$T" | sha256sum | cut -c1-64)" -d ${body}`;
}

/** What npm start prints once it is up: where everything is, and how to send it a callback. */
function banner(settings: Settings, local: LocalSettings, receiver: LocalReceiver): string {
  const signed = local.IM_CALLBACK_TOKEN.length > 0;
  const { forward } = receiver.stream;
  return `Tencent IM callback receiver, local mode

  Callback URL     ${receiver.callbackUrl}
  Inspector        ${receiver.inspectorUrl}  (open it in a browser: every callback, live; replay; samples)
  SDKAppID         ${settings.sdkAppIds.join(', ')}
  Policy rules     ${settings.policy.rules.length}
  Callback token   ${signed ? `${local.IM_CALLBACK_TOKEN.length} set: Sign and RequestTime are required` : 'none'}
  Listening on     ${local.HOST === listenHosts[0] ? `${local.HOST} (this machine only; a tunnel in front works too: docs/local.md#tunnels)` : `${local.HOST}: reachable from other machines`}
  Events table     ${LOCAL_TABLE_NAME} in ${local.DYNAMODB_ENDPOINT ?? `${local.DATA_DIR}/`}
  Spool            ${local.DATA_DIR}/${dataDirLayout.spool}/ (${receiver.spool?.pending() ?? 0} events waiting for the table)
  Change log       ${local.DATA_DIR}/${dataDirLayout.stream}/ (the table's stream, locally: the synced view and forwarding read it)
  Forwarding       ${forward === undefined ? 'off (set IM_FORWARD_URL to POST each stored event)' : `${forward.url} (${forward.pending()} events waiting)`}
  DynamoDB API     ${receiver.dynamodbEndpoint}
  AWS CLI          ${awsCliScan(receiver.dynamodbEndpoint)}

Try it, from another terminal${signed ? ' where IM_CALLBACK_TOKEN is exported too' : ''}:
  npx tencent-im trigger ${SAMPLE_COMMAND}
or with curl:
  ${sampleCurl(receiver.callbackUrl, settings.sdkAppIds[0]!, signed)}

Then list what arrived: npx tencent-im events
`;
}

export async function main(args: string[]): Promise<void> {
  parseArgs({ args, strict: true, options: {} });
  // Everything this process creates is its owner's only: DATA_DIR holds every callback stored, and
  // LevelDB creates its files (in C++, inside dynalite) with the default mode, masked by the umask
  // alone. The files local mode writes itself get 0600 whatever the umask (local/data-dir.ts);
  // this covers the ones it cannot give a mode to. Nothing npm start writes is meant to be shared.
  process.umask(0o077);
  // A wrong setting, a taken port, an unusable DATA_DIR, a DYNAMODB_ENDPOINT that does not answer: one
  // or two lines that say what to do (local/startup-checks.ts), no stack trace unless DEBUG is set
  // (cli/command.ts): what follows runs only once the receiver is up.
  const { settings, local, receiver } = await start();

  // For `npx tencent-im trigger`, `replay` and `events --follow` in another terminal (running-receiver.ts).
  const withdraw = announceReceiver(local.DATA_DIR, {
    callbackUrl: receiver.callbackUrl,
    inspectorUrl: receiver.inspectorUrl,
    sdkAppIds: [...settings.sdkAppIds],
    signed: local.IM_CALLBACK_TOKEN.length > 0,
  });
  let stopping = false;
  async function stop(signal: string) {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing requests under way and closing the store…`);
    withdraw();
    await receiver.close();
    console.log('Stopped. Nothing acknowledged was lost.');
    process.exit(0);
  }
  // Before the banner's last line says Ctrl-C stops it: a signal sent on reading that line (a test, a
  // supervisor) must find the handlers there, or Node's default kills the process mid-write.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  console.log(banner(settings, local, receiver));
  // Part of the banner, on the same stream and before its last line: whoever waits for that line has
  // seen the warning too.
  if (local.IM_CALLBACK_TOKEN.length === 0) {
    console.log(
      local.HOST === listenHosts[0]
        ? 'WARNING: no callback token (IM_CALLBACK_TOKEN): any request with the SDKAppID is accepted. Set the same token here and in the Chat console.\n'
        : `WARNING: no callback token (IM_CALLBACK_TOKEN), and HOST=${local.HOST} is reachable from other machines: ${unsignedRisk}\n`,
    );
  }
  console.log('Ctrl-C stops it.');

  // Once, when what an earlier run left (the spool, the log's unconsumed records, the table's writes the
  // log missed) has reached the view and the forward target: whoever waits for a restart to settle waits
  // for this line.
  const { forward } = receiver.stream;
  void receiver.idle().then(() => {
    if (!stopping) console.log(`Caught up: the synced view${forward === undefined ? '' : ' and forwarding'} have every stored event`);
  });
}

if (import.meta.main) await runCommand('start', { usage, main, expected }, process.argv.slice(2));

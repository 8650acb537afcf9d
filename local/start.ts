/**
 * `npm start`: the receiver on this machine, no AWS account needed. Settings come from cdk.json's
 * context, overridden by IM_SDKAPPIDS, IM_POLICY and EVENT_RETENTION_DAYS; PORT, DATA_DIR and
 * DYNAMODB_PORT say where it runs (local/local-settings.ts).
 */

import { runCli } from '../cli/fail.ts';
import { powertoolsLog } from '../functions/callback/powertools.ts';
import { commandDefinition } from '../functions/commands/registry.ts';
import { SettingsError, settingsFromContextAndEnvironment, settingVariables } from '../functions/shared/settings.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { callbackQuery } from './callback-url.ts';
import { dataDirLayout } from './data-dir.ts';
import { awsCliScan, LOCAL_TABLE_NAME } from './embedded-store.ts';
import { startLocalReceiver } from './local-server.ts';
import { localSettingsFromEnvironment } from './local-settings.ts';
import { policyFileOf } from './policy-watch.ts';

// Everything this process creates is its owner's only: DATA_DIR holds every callback stored, and
// LevelDB creates its files (in C++, inside dynalite) with the default mode, masked by the umask
// alone. The files local mode writes itself get 0600 whatever the umask (local/data-dir.ts);
// this covers the ones it cannot give a mode to. Nothing npm start writes is meant to be shared.
process.umask(0o077);

async function start() {
  const settings = settingsFromContextAndEnvironment(cdkJsonContext(), process.env);
  const local = localSettingsFromEnvironment(process.env);
  const receiver = await startLocalReceiver({
    settings,
    // An `@file` policy is followed: each save is checked and put in force, or refused in one line.
    policyFile: policyFileOf(process.env[settingVariables.policy] || cdkJsonContext()('policy')),
    port: local.PORT,
    dynamodbPort: local.DYNAMODB_PORT,
    dataDir: local.DATA_DIR,
    dynamodbEndpoint: local.DYNAMODB_ENDPOINT,
    tokens: local.IM_CALLBACK_TOKEN,
    forwardUrl: local.IM_FORWARD_URL,
    log: local.LOG_FORMAT === 'json' ? powertoolsLog(settings) : undefined,
    // The page at `/` (docs/local.md#inspector), with the synced view of each callback's group or user.
    inspector: {},
  });
  return { settings, local, receiver };
}

// A wrong setting, a taken port, an unusable DATA_DIR, a DYNAMODB_ENDPOINT that does not answer: one
// or two lines that say what to do (local/startup-checks.ts), no stack trace unless DEBUG is set.
// runCli exits on a failure, so what follows runs only once the receiver is up.
let started!: Awaited<ReturnType<typeof start>>;
await runCli(async () => (started = await start()), { expected: (error) => error instanceof SettingsError });
const { settings, local, receiver } = started;

const [sdkAppId] = settings.sdkAppIds;
const SAMPLE_COMMAND = 'Group.CallbackAfterCreateGroup';
// The registry's own example of the command, happening now: each start's curl stores a fresh event.
// Quoted for the shell's single quotes.
const sample = JSON.stringify({ ...commandDefinition(SAMPLE_COMMAND).example, EventTime: Date.now() }).replaceAll("'", "'\\''");
const query = callbackQuery({ sdkAppId: sdkAppId!, command: SAMPLE_COMMAND });
// With a token, the curl signs as Tencent does, from the token exported in the shell (never printed).
const curl =
  local.IM_CALLBACK_TOKEN.length === 0
    ? `curl -s '${receiver.callbackUrl}?${query}' -d '${sample}'`
    : `T=$(date +%s); curl -s "${receiver.callbackUrl}?${query}&RequestTime=$T&Sign=$(printf '%s%s' "\${IM_CALLBACK_TOKEN%%,*}" "$T" | sha256sum | cut -c1-64)" -d '${sample}'`;
console.log(`Tencent IM callback receiver, local mode

  Callback URL     ${receiver.callbackUrl}
  Inspector        ${receiver.inspectorUrl}  (open it in a browser: every callback, live; replay; samples)
  SDKAppID         ${settings.sdkAppIds.join(', ')}
  Policy rules     ${settings.policy.rules.length}
  Callback token   ${local.IM_CALLBACK_TOKEN.length === 0 ? 'none' : `${local.IM_CALLBACK_TOKEN.length} set: Sign and RequestTime are required`}
  Events table     ${LOCAL_TABLE_NAME} in ${local.DYNAMODB_ENDPOINT ?? `${local.DATA_DIR}/`}
  Spool            ${local.DATA_DIR}/${dataDirLayout.spool}/ (${receiver.spool?.pending() ?? 0} events waiting for the table)
  Forwarding       ${receiver.forwarder === undefined ? 'off (set IM_FORWARD_URL to POST each stored event)' : `${receiver.forwarder.url} (${receiver.forwarder.pending()} events waiting)`}
  DynamoDB API     ${receiver.dynamodbEndpoint}
  AWS CLI          ${awsCliScan(receiver.dynamodbEndpoint)}

Try it:
  ${curl}

Then list what arrived: npm run events
`);
// Part of the banner, on the same stream and before its last line: whoever waits for that line has
// seen the warning too.
if (local.IM_CALLBACK_TOKEN.length === 0) {
  console.log('WARNING: no callback token (IM_CALLBACK_TOKEN): any request with the SDKAppID is accepted. Set the same token here and in the Chat console.\n');
}
console.log('Ctrl-C stops it.');

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: finishing requests under way and closing the store…`);
  await receiver.close();
  console.log('Stopped. Nothing acknowledged was lost.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

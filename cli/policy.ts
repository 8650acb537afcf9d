/**
 * `npx tencent-im policy --check FILE | --backtest FILE … | --deploy FILE --stack NAME` (or
 * `npm run policy -- …`): operating the before-callback policy (docs/policy.md#operating-a-policy).
 * Usage: cli/policy-options.ts.
 */
import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SettingsError, settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { LOCAL_TABLE_NAME } from '../local/embedded-store.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { OptionsError, runCommand } from './command.ts';

import { describeSource } from './listing-source.ts';
import { askedSource, openStore } from './open-store.ts';
import { backtest, formatBacktest, replayedCommands } from './policy-backtest.ts';
import { deployPolicy, findPolicyTarget } from './policy-deploy.ts';
import { readPolicyFile } from './policy-file.ts';
import { parsePolicyOptions, policyUsage } from './policy-options.ts';
import { regionConfig } from './stack-options.ts';

export const usage = policyUsage;
export const expected = (error: Error) => error instanceof SettingsError;

export async function main(args: string[]): Promise<void> {
  const asked = parsePolicyOptions(args);
  const settings = settingsFromContextAndEnvironment(cdkJsonContext(), process.env);
  const candidate = readPolicyFile(asked.file, settings.policyDeadlineMs);
  if (asked.action === 'check') {
    const { length } = candidate.policy.rules;
    console.log(`${asked.file}: ${length} rule${length === 1 ? '' : 's'}, accepted.`);
    return;
  }
  if (asked.action === 'deploy') {
    // Endpoints and credentials as every AWS tool takes them (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_APPCONFIG…).
    const region = regionConfig(asked.region);
    const cloudFormation = new CloudFormationClient(region);
    const appConfig = new AppConfigClient(region);
    try {
      const target = await findPolicyTarget(cloudFormation, asked.stack, asked.receiver);
      console.log(`Stack ${asked.stack}: AppConfig application ${target.applicationId}, environment ${target.environmentId}, profile ${target.profileId}.`);
      await deployPolicy({ text: candidate.text, target, appConfig, wait: asked.wait, log: (line) => console.log(line) });
    } finally {
      cloudFormation.destroy();
      appConfig.destroy();
    }
    return;
  }
  const known = replayedCommands.flatMap(({ after, before }) => [after, before]);
  const unknown = (asked.commands ?? []).filter((command) => !known.includes(command));
  if (unknown.length > 0) throw new OptionsError(`--command ${unknown.join(', ')}: a backtest replays ${known.join(', ')}`);
  const current = asked.current === undefined ? settings.policy : readPolicyFile(asked.current, settings.policyDeadlineMs).policy;
  const where = askedSource(asked.table, asked.region, localSettingsFromEnvironment(process.env).DATA_DIR);
  const store = await openStore(where, LOCAL_TABLE_NAME);
  try {
    const report = await backtest({
      candidate: candidate.policy,
      current,
      reader: new DynamoDbEventReader(store.client, store.tableName),
      sdkAppIds: asked.app === undefined ? settings.sdkAppIds : [asked.app],
      since: asked.since,
      ...(asked.commands === undefined ? {} : { commands: asked.commands }),
      deadlineMs: settings.policyDeadlineMs,
    });
    if (asked.json) console.log(JSON.stringify({ source: describeSource(where), ...report }));
    else console.log(`${formatBacktest(report)}\n\nRead from ${describeSource(where)}.`);
  } finally {
    await store.close();
  }
}

if (import.meta.main) await runCommand('policy', { usage, main, expected }, process.argv.slice(2));

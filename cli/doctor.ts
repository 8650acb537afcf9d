/**
 * `npx tencent-im doctor --stack NAME` (`npm run doctor --`): a deployed receiver's health in one
 * line per fact, with the user's AWS credentials (docs/production.md#doctor): the stack and its
 * callback URL, the token, alarms in ALARM, when each command was last heard and which never were,
 * the queues' depths, the canary's last check. Exit code 1 when a line is a problem, so a script can
 * ask. Read-only.
 */
import { parseArgs, styleText } from 'node:util';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { SettingsSchema } from '../functions/shared/settings.ts';
import { domainProblem } from '../functions/tencent/rest-domains.ts';
import { CredentialsSourceError, credentialVariables } from '../functions/tencent/tencent-credentials.ts';
import { TencentRestClient } from '../functions/tencent/tencent-rest-client.ts';
import { stackOutputNames } from '../infra/stack-output-names.ts';
import { adminCredentials, adminCredentialsUsage } from './admin-credentials.ts';
import { OptionsError, runCommand } from './command.ts';
import {
  alarmFindings,
  canaryFindings,
  commandFindings,
  type DoctorClients,
  type Finding,
  queueFindings,
  stackFindings,
  tencentCallbackFindings,
  tokenFindings,
  type Verdict,
} from './doctor-checks.ts';
import { UsageError } from './fail.ts';
import { regionConfig, stackOptionSpecs, stackOptions, stackOptionsHelp } from './stack-options.ts';
import { cloudFormation, type DeployedStack, describeStack, isAwsUserError } from './stack-outputs.ts';

/** The namespace when neither --namespace nor the stack says: the setting's default. */
const defaultNamespace = v.getDefault(SettingsSchema.entries.metricsNamespace);

export const usage = `Usage: npx tencent-im doctor --stack NAME [--region R] [--namespace NS] [--alarm-prefix PREFIX]
                             [credentials] [--domain REGION|HOST | --base-url URL]

Checks a deployed receiver, with your AWS credentials, and prints one line each: the stack and the
callback URL to set in the Chat console, whether a token is set, alarms in ALARM, when each command
was last heard and which were not heard in 14 days, the queues' depths, the canary's last check, and
where Tencent sends Live's and Call's callbacks (its REST API tells those; Chat's is in the console only).
✔ is fine, ✘ a problem with what to do, · a fact. Exit code 1 when there is a problem. Read-only.

${stackOptionsHelp(25)}
  --namespace NS         the metrics' namespace (default: the stack's ${stackOutputNames.metricsNamespace} output, else ${defaultNamespace})
  --alarm-prefix PREFIX  what the alarms' names start with (default: the stack's ${stackOutputNames.alarmNamePrefix} output, else the stack's name)
  --domain REGION|HOST   the REST domain (default: the stack's ${stackOutputNames.tencentDomain} output, else china)
  --base-url URL         another REST endpoint, e.g. a local stand-in (overrides --domain)

${adminCredentialsUsage}
  Default: the stack's ${stackOutputNames.tencentCredentialsSecret} output. Without any, Live and Call are not checked.`;

export const expected = isAwsUserError;

const marks: Record<Verdict, string> = { fine: styleText('green', '✔'), problem: styleText('red', '✘'), fact: styleText('dim', '·') };
const findingLine = (finding: Finding) => `${marks[finding.verdict]} ${finding.verdict === 'problem' ? styleText('red', finding.text) : finding.text}`;

/** A REST client with the admin credentials from --secret, the stack's output or (locally) the environment; or why there is none. */
async function tencentClient(
  stack: DeployedStack,
  values: { secret?: string; app?: string; domain?: string; 'base-url'?: string },
): Promise<{ client: TencentRestClient } | { instead: Finding }> {
  const secret = values.secret ?? stack.outputs[stackOutputNames.tencentCredentialsSecret];
  if (secret === undefined && process.env[credentialVariables.identifier] === undefined)
    return {
      instead: {
        verdict: 'fact',
        text: `Live and Call callbacks: not checked: no ${stackOutputNames.tencentCredentialsSecret} output; --secret NAME|ARN gives the REST admin credentials (docs/tencent-rest.md#credentials)`,
      },
    };
  try {
    const credentials = await adminCredentials({ secret, app: values.app });
    const baseUrl = values['base-url'];
    return {
      client: new TencentRestClient({
        credentials,
        domain: values.domain ?? stack.outputs[stackOutputNames.tencentDomain],
        baseUrl,
        settingNames: { domain: baseUrl === undefined ? '--domain (the data centre the SDKAppID was created in)' : '--base-url' },
        onRetry: ({ error, delayMs }) => console.error(`${error.message}; trying again in ${delayMs} ms`),
      }),
    };
  } catch (error) {
    if (error instanceof CredentialsSourceError || error instanceof UsageError) return { instead: { verdict: 'problem', text: error.message } };
    throw error;
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...stackOptionSpecs,
      namespace: { type: 'string' },
      'alarm-prefix': { type: 'string' },
      secret: { type: 'string' },
      app: { type: 'string' },
      domain: { type: 'string' },
      'base-url': { type: 'string' },
    },
  });
  const { stack: stackName, region } = stackOptions(values, 'the deployed stack to check');
  if (values.domain !== undefined && domainProblem(values.domain) !== undefined)
    throw new OptionsError(`--domain ${values.domain} ${domainProblem(values.domain)}`);
  if (values['base-url'] !== undefined && !/^https?:\/\//i.test(values['base-url']))
    throw new OptionsError(`--base-url ${values['base-url']}: must be an http:// or https:// URL`);
  const config = regionConfig(region);
  const stacks = cloudFormation(region);
  const clients: DoctorClients = { cloudWatch: new CloudWatchClient(config), sqs: new SQSClient(config), secrets: new SecretsManagerClient(config) };
  let problems = 0;
  const print = (findings: readonly Finding[]) => {
    for (const finding of findings) {
      if (finding.verdict === 'problem') problems += 1;
      console.log(findingLine(finding));
    }
  };
  try {
    const stack = await describeStack(stacks, stackName);
    const namespace = values.namespace ?? stack.outputs[stackOutputNames.metricsNamespace] ?? defaultNamespace;
    const now = Date.now();
    print(stackFindings(stack));
    print(await tokenFindings(clients, stack));
    print(await alarmFindings(clients, values['alarm-prefix'] ?? stack.outputs[stackOutputNames.alarmNamePrefix] ?? stack.name));
    print(await commandFindings(clients, namespace, now));
    print(await queueFindings(clients, stack));
    print(await canaryFindings(clients, namespace, now));
    const rest = await tencentClient(stack, values);
    print('instead' in rest ? [rest.instead] : await tencentCallbackFindings(rest.client, stack.outputs[stackOutputNames.callbackUrl]));
  } finally {
    for (const client of [stacks, clients.cloudWatch, clients.sqs, clients.secrets]) client.destroy();
  }
  if (problems > 0) {
    console.error(`${problems} problem${problems === 1 ? '' : 's'} (✘): each line says what to do.`);
    process.exitCode = 1;
  }
}

if (import.meta.main) await runCommand('doctor', { usage, main, expected }, process.argv.slice(2));

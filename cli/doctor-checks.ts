/**
 * What `npx tencent-im doctor` looks at in a deployed stack (docs/production.md#doctor), each a
 * function of the AWS clients and the stack's outputs that returns findings: one line each, fine or a
 * problem with what to do, or a plain fact. Read-only: nothing here changes the stack.
 */
import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  ListMetricsCommand,
  type ListMetricsCommandOutput,
  type Metric,
} from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { callbackMetrics, canaryMetrics, type canaryResults, heardOutcomes } from '../functions/callback/metric-names.ts';
import { registeredCommands } from '../functions/commands/registry.ts';
import { type CallbackProductName, callbackProducts } from '../functions/tencent/callback-products.ts';
import { TencentRestError } from '../functions/tencent/rest-errors.ts';
import type { TencentRestClient } from '../functions/tencent/tencent-rest-client.ts';
import { stackOutputNames as names } from '../infra/stack-output-names.ts';
import type { DeployedStack } from './stack-outputs.ts';

export type Verdict = 'fine' | 'problem' | 'fact';
export interface Finding {
  readonly verdict: Verdict;
  readonly text: string;
}
const fine = (text: string): Finding => ({ verdict: 'fine', text });
const problem = (text: string): Finding => ({ verdict: 'problem', text });
const fact = (text: string): Finding => ({ verdict: 'fact', text });

export interface DoctorClients {
  readonly cloudWatch: CloudWatchClient;
  readonly sqs: SQSClient;
  readonly secrets: SecretsManagerClient;
}

/** How far back callbacks are looked for: CloudWatch lists a metric for two weeks after its last data point. */
export const HEARD_WITHIN_DAYS = 14;
/** How far back the canary's last check is looked for. */
const CANARY_WITHIN_MS = 86_400_000;

/** `3 min ago`, `5 h ago`, `2 d ago`. */
export function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}
const when = (at: number, now: number) => `${new Date(at).toISOString()} (${ago(now - at)})`;

/** The stack's status and its callback URL, then which outputs it has. */
export function stackFindings(stack: DeployedStack): Finding[] {
  const { status, outputs } = stack;
  const settled = /_COMPLETE$/.test(status) && !/ROLLBACK|DELETE/.test(status);
  const url = outputs[names.callbackUrl];
  return [
    settled
      ? fine(`stack ${stack.name}: ${status}`)
      : /_IN_PROGRESS$/.test(status) && !/ROLLBACK/.test(status)
        ? fact(`stack ${stack.name}: ${status}: run doctor again when it is done`)
        : problem(`stack ${stack.name}: ${status}: its events in the CloudFormation console say what failed; deploy again once fixed`),
    url === undefined
      ? problem(`no ${names.callbackUrl} output: is ${stack.name} a tencent-im stack? (check --stack)`)
      : fine(`callback URL ${url}: the Chat console's callback URL must be exactly this (it takes about 2 minutes to apply there)`),
    fact(`outputs: ${Object.keys(outputs).sort().join(', ') || 'none'}`),
  ];
}

/** Whether the token the receiver checks signatures with is set: its secret holds a value. */
export async function tokenFindings(clients: DoctorClients, stack: DeployedStack): Promise<Finding[]> {
  const secretId = stack.outputs[names.callbackTokenSecret];
  if (secretId === undefined)
    return [
      fact(`no ${names.callbackTokenSecret} output: callbacks are unsigned, or signed with a token secret of your own (tokenSecret): docs/security.md#token`),
    ];
  try {
    const { SecretString } = await clients.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (SecretString === undefined || SecretString.trim() === '')
      return [problem(`token: the secret ${secretId} is empty: put the Chat console's callback token in it (docs/security.md#rotating-the-token)`)];
    return [fine(`token: set (secret ${secretId}); the Chat console's callback token must be the same (docs/security.md#token)`)];
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'ResourceNotFoundException') return [problem(`token: the secret ${secretId} does not exist: deploy the stack again`)];
    return [fact(`token: could not read the secret ${secretId} (${name}: ${message.replace(/\s+/g, ' ')}): secretsmanager:GetSecretValue is needed`)];
  }
}

/** Every alarm in ALARM, each with its runbook entry (cited in its description), or that none is. */
export async function alarmFindings(clients: DoctorClients, prefix: string): Promise<Finding[]> {
  const alarms: NonNullable<DescribeAlarmsCommandOutput['MetricAlarms']> = [];
  let next: string | undefined;
  do {
    const page: DescribeAlarmsCommandOutput = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${prefix}-`, NextToken: next }));
    alarms.push(...(page.MetricAlarms ?? []));
    next = page.NextToken;
  } while (next !== undefined);
  if (alarms.length === 0) return [problem(`alarms: none named ${prefix}-…: the receiver makes some unless alarms are off; check --stack`)];
  const raised = alarms.filter((alarm) => alarm.StateValue === 'ALARM');
  if (raised.length === 0) return [fine(`alarms: ${alarms.length}, none in ALARM`)];
  return raised.map((alarm) => {
    const runbook = /Runbook: (\S+)/.exec(alarm.AlarmDescription ?? '')?.[1] ?? 'docs/operations.md#alarms';
    const since = alarm.StateUpdatedTimestamp === undefined ? '' : ` since ${alarm.StateUpdatedTimestamp.toISOString()}`;
    return problem(`alarm ${alarm.AlarmName} in ALARM${since}: ${runbook}`);
  });
}

async function listMetrics(client: CloudWatchClient, namespace: string, metricName: string): Promise<Metric[]> {
  const metrics: Metric[] = [];
  let next: string | undefined;
  do {
    const page: ListMetricsCommandOutput = await client.send(new ListMetricsCommand({ Namespace: namespace, MetricName: metricName, NextToken: next }));
    metrics.push(...(page.Metrics ?? []));
    next = page.NextToken;
  } while (next !== undefined);
  return metrics;
}

/** GetMetricData takes at most this many queries a call. */
const QUERIES_PER_CALL = 500;

/** For each metric, its latest data point with a value above zero over the range, if any: `{ at, value }`. */
async function latestPoints(
  client: CloudWatchClient,
  metrics: readonly Metric[],
  range: { start: number; end: number; period: number; stat: string },
): Promise<({ at: number; value: number } | undefined)[]> {
  const latest: ({ at: number; value: number } | undefined)[] = metrics.map(() => undefined);
  for (let first = 0; first < metrics.length; first += QUERIES_PER_CALL) {
    const chunk = metrics.slice(first, first + QUERIES_PER_CALL);
    let next: string | undefined;
    do {
      const page: GetMetricDataCommandOutput = await client.send(
        new GetMetricDataCommand({
          StartTime: new Date(range.start),
          EndTime: new Date(range.end),
          NextToken: next,
          MetricDataQueries: chunk.map((metric, index) => ({
            Id: `m${first + index}`,
            MetricStat: { Metric: metric, Period: range.period, Stat: range.stat },
          })),
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const index = Number(result.Id!.slice(1));
        (result.Timestamps ?? []).forEach((timestamp, at) => {
          const value = result.Values?.[at] ?? 0;
          if (value > 0 && (latest[index] === undefined || timestamp.getTime() > latest[index].at)) latest[index] = { at: timestamp.getTime(), value };
        });
      }
      next = page.NextToken;
    } while (next !== undefined);
  }
  return latest;
}

/** A dimension the metrics are emitted with (metric-names.ts), so that a renamed one fails to compile here. */
type DimensionName =
  | (typeof callbackMetrics)[keyof typeof callbackMetrics]['dimensions'][number]
  | (typeof canaryMetrics)[keyof typeof canaryMetrics]['dimensions'][number];
const dimension = (metric: Metric, name: DimensionName) => metric.Dimensions?.find((entry) => entry.Name === name)?.Value;

/**
 * When each command was last heard (a callback with an outcome that counts as heard, as for the
 * silence alarms: metric-names.ts `heardOutcomes`), from the Callbacks metric by hour; and the
 * registry's commands not heard in two weeks. None heard at all is the silent failure doctor is for.
 */
export async function commandFindings(clients: DoctorClients, namespace: string, now: number): Promise<Finding[]> {
  const heard = new Set<string>(Object.values(heardOutcomes).flat());
  const metrics = (await listMetrics(clients.cloudWatch, namespace, callbackMetrics.callbacks.name)).filter((metric) =>
    heard.has(dimension(metric, 'outcome') ?? ''),
  );
  const points = await latestPoints(clients.cloudWatch, metrics, { start: now - HEARD_WITHIN_DAYS * 86_400_000, end: now, period: 3_600, stat: 'Sum' });
  const lastHeard = new Map<string, number>();
  metrics.forEach((metric, index) => {
    const command = dimension(metric, 'command');
    const point = points[index];
    if (command !== undefined && point !== undefined) lastHeard.set(command, Math.max(point.at, lastHeard.get(command) ?? 0));
  });
  if (lastHeard.size === 0)
    return [
      problem(
        `no callback heard in ${HEARD_WITHIN_DAYS} days (namespace ${namespace}): Tencent is not calling. Check the Chat console's callback URL, its switches and its token (docs/production.md#doctor)`,
      ),
    ];
  const never = registeredCommands.filter((command) => !lastHeard.has(command));
  return [
    ...[...lastHeard].sort(([, a], [, b]) => b - a).map(([command, at]) => fine(`${command}: last heard in the hour from ${when(at, now)}`)),
    ...(never.length === 0 ? [] : [fact(`not heard in ${HEARD_WITHIN_DAYS} days: ${never.length} commands: ${never.join(', ')}`)]),
  ];
}

/** Each queue's depth: the fallback drains by itself; a message in the others waits for a person. */
const queueChecks = [
  {
    output: names.fallbackQueueUrl,
    label: 'fallback queue',
    what: 'waiting for the drain, which stores them within minutes; if they stay',
    runbook: 'alarm-fallback-backlog',
  },
  { output: names.deadLetterQueueUrl, label: 'dead-letter queue', what: 'the drain could not store', runbook: 'alarm-dead-letters' },
  { output: names.fanOutFailureQueueUrl, label: 'fan-out failure queue', what: 'events not published', runbook: 'alarm-fan-out-failures' },
  { output: names.stateFailureQueueUrl, label: 'synced view failure queue', what: 'events the view did not take', runbook: 'alarm-state-failures' },
] as const;

export async function queueFindings(clients: DoctorClients, stack: DeployedStack): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of queueChecks) {
    const url = stack.outputs[check.output];
    if (url === undefined) continue;
    const { Attributes = {} } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    findings.push(
      depth === 0
        ? fine(`${check.label}: empty`)
        : problem(`${check.label}: ${depth} message${depth === 1 ? '' : 's'}, ${check.what}: docs/operations.md#${check.runbook}`),
    );
  }
  if (findings.length === 0) findings.push(fact(`no queue outputs (${queueChecks.map((check) => check.output).join(', ')}): queues not checked`));
  return findings;
}

/** The canary's last check in the last day, and its latency when its callback arrived; or that it is off. */
export async function canaryFindings(clients: DoctorClients, namespace: string, now: number): Promise<Finding[]> {
  const checks = await listMetrics(clients.cloudWatch, namespace, canaryMetrics.checks.name);
  if (checks.length === 0) return [fact('canary: off (canary on the receiver turns it on: docs/production.md#canary)')];
  const range = { start: now - CANARY_WITHIN_MS, end: now, period: 60, stat: 'Sum' };
  const points = await latestPoints(clients.cloudWatch, checks, range);
  let last: { result: string; at: number } | undefined;
  checks.forEach((metric, index) => {
    const result = dimension(metric, 'result');
    const point = points[index];
    if (result !== undefined && point !== undefined && (last === undefined || point.at > last.at)) last = { result, at: point.at };
  });
  if (last === undefined)
    return [problem('canary: no check in the last day: its schedule or its function is not running (docs/operations.md#alarm-canary-errors)')];
  const at = when(last.at, now);
  switch (last.result as (typeof canaryResults)[number]) {
    case 'arrived': {
      const latencyMetrics = await listMetrics(clients.cloudWatch, namespace, canaryMetrics.latency.name);
      const latencies = await latestPoints(clients.cloudWatch, latencyMetrics, { ...range, stat: 'Maximum' });
      const latest = latencies.filter((point) => point !== undefined).sort((a, b) => b.at - a.at)[0];
      return [fine(`canary: its callback arrived${latest === undefined ? '' : ` ${(latest.value / 1_000).toFixed(2)} s after the send`}, at ${at}`)];
    }
    case 'missing':
      return [problem(`canary: its last message's callback did not arrive in time, at ${at}: docs/operations.md#alarm-canary-missing`)];
    case 'refused':
      return [
        problem(`canary: Tencent's REST API refused its send at ${at}: its credentials, group or account are wrong (docs/operations.md#alarm-canary-errors)`),
      ];
    default:
      return [fact(`canary: unknown at ${at}: Tencent's REST API timed out or rate-limited its send (not a failure of the callbacks)`)];
  }
}

/**
 * Where Tencent sends Live's and Call's callbacks, which its REST API tells (Chat's is in the console
 * only): fine when it is the stack's callback URL. A REST API that times out or rate-limits makes it
 * unknown, not a problem; credentials it refuses are a problem that names the setting, once.
 */
export async function tencentCallbackFindings(client: Pick<TencentRestClient, 'getCallback'>, callbackUrl: string | undefined): Promise<Finding[]> {
  const findings: Finding[] = [];
  const same = (url: string) => callbackUrl !== undefined && url.replace(/\/+$/, '') === callbackUrl.replace(/\/+$/, '');
  for (const product of Object.keys(callbackProducts) as CallbackProductName[]) {
    try {
      const config = await client.getCallback(product);
      if (config === undefined) findings.push(fact(`${product} callbacks: none configured in Tencent`));
      else if (same(config.Url)) findings.push(fine(`${product} callbacks: Tencent calls this stack's URL (${config.CallbackCommandList.length} commands)`));
      else
        findings.push(
          problem(
            `${product} callbacks: Tencent calls ${config.Url}, not this stack's URL: npx tencent-im tencent set-callback --product ${product} --url ${callbackUrl ?? '<CallbackUrl>'} (docs/tencent-rest.md#cli)`,
          ),
        );
    } catch (error) {
      if (!(error instanceof TencentRestError)) throw error;
      if (error.indeterminate) {
        findings.push(fact(`${product} callbacks: unknown: ${error.message}`));
        continue;
      }
      findings.push(problem(error.message));
      if (error.kind === 'credentials') break;
    }
  }
  return findings;
}

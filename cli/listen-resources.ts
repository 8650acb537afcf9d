/**
 * What `npx tencent-im listen` makes in the user's account, and finds again (docs/production.md#listen):
 * a temporary SQS queue and an EventBridge rule on the receiver's bus that sends it the events asked
 * for. Both are named `tencent-im-listen-…` and tagged with who made them (host, pid, stack), so that
 * what a killed `listen` left behind can be found and removed (`listen --clean`), and never anything else.
 */
import { hostname } from 'node:os';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  type EventBridgeClient,
  ListRulesCommand,
  type ListRulesCommandOutput,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { RECEIVE_WAIT_SECONDS, VISIBILITY_TIMEOUT_SECONDS } from './listen-timing.ts';

/** Every name starts so: a listing by prefix finds them, and nothing of the user's. */
export const LISTEN_PREFIX = 'tencent-im-listen-';
/** The tags each carries. */
export const listenTags = {
  marker: 'tencent-im:listen',
  stack: 'tencent-im:stack',
  host: 'tencent-im:host',
  pid: 'tencent-im:pid',
  since: 'tencent-im:since',
} as const;
/** Events not read within this are dropped by SQS: a listen that stalls does not pile them up. */
const RETENTION_SECONDS = 3_600;

export interface ListenClients {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
}

export interface ListenResources {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly ruleName: string;
  readonly busName: string;
}

export interface Owner {
  readonly host: string;
  readonly pid: number;
  readonly stack: string;
  readonly since: string;
}

export const thisProcess = (stack: string, now = Date.now()): Owner => ({ host: hostname(), pid: process.pid, stack, since: new Date(now).toISOString() });

const tagsOf = (owner: Owner): Record<string, string> => ({
  [listenTags.marker]: 'true',
  [listenTags.stack]: owner.stack,
  [listenTags.host]: owner.host,
  [listenTags.pid]: String(owner.pid),
  [listenTags.since]: owner.since,
});

/** SQS and EventBridge names: letters, digits, - and _, 64 characters at most for a rule. */
export const listenName = (stack: string, suffix: string) => `${LISTEN_PREFIX}${stack.replace(/[^\w-]/g, '-').slice(0, 30)}-${suffix}`;

/**
 * Makes the queue, then the rule with its pattern, then lets the rule (and only it) send to the queue,
 * then points the rule at it. What was made before a failure is removed before the error goes on.
 */
export async function createListenResources(
  { sqs, events }: ListenClients,
  options: { readonly busName: string; readonly pattern: object; readonly owner: Owner; readonly suffix: string },
): Promise<ListenResources> {
  const name = listenName(options.owner.stack, options.suffix);
  const tags = tagsOf(options.owner);
  const made: Partial<ListenResources> & { busName: string } = { busName: options.busName };
  try {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        tags,
        Attributes: {
          MessageRetentionPeriod: String(RETENTION_SECONDS),
          ReceiveMessageWaitTimeSeconds: String(RECEIVE_WAIT_SECONDS),
          VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        },
      }),
    );
    Object.assign(made, { queueUrl: QueueUrl! });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = Attributes!.QueueArn!;
    Object.assign(made, { queueArn });
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: options.busName,
        EventPattern: JSON.stringify(options.pattern),
        State: 'ENABLED',
        Description: `npx tencent-im listen on ${options.owner.host} (pid ${options.owner.pid}): removed when it stops; listen --clean removes it if not`,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    Object.assign(made, { ruleName: name });
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn,
                Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } },
              },
            ],
          }),
        },
      }),
    );
    await events.send(new PutTargetsCommand({ Rule: name, EventBusName: options.busName, Targets: [{ Id: 'listen', Arn: queueArn }] }));
    return made as ListenResources;
  } catch (error) {
    await removeListenResources({ sqs, events }, made).catch(() => undefined);
    throw error;
  }
}

const gone = (error: unknown) =>
  error instanceof ResourceNotFoundException || error instanceof QueueDoesNotExist || (error as Error).name === 'ResourceNotFoundException';

/** Removes the rule (its target first: EventBridge refuses to delete a rule that has one), then the queue. What is already gone is fine. */
export async function removeListenResources({ sqs, events }: ListenClients, resources: Partial<ListenResources> & { busName: string }): Promise<void> {
  if (resources.ruleName !== undefined) {
    const rule = { Rule: resources.ruleName, EventBusName: resources.busName };
    try {
      const { Targets } = await events.send(new ListTargetsByRuleCommand(rule));
      const ids = (Targets ?? []).flatMap((target) => (target.Id === undefined ? [] : [target.Id]));
      if (ids.length > 0) await events.send(new RemoveTargetsCommand({ ...rule, Ids: ids }));
      await events.send(new DeleteRuleCommand({ Name: resources.ruleName, EventBusName: resources.busName }));
    } catch (error) {
      if (!gone(error)) throw error;
    }
  }
  if (resources.queueUrl !== undefined) {
    try {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: resources.queueUrl }));
    } catch (error) {
      if (!gone(error)) throw error;
    }
  }
}

export interface Leftover {
  readonly kind: 'queue' | 'rule';
  readonly name: string;
  readonly owner: Partial<Owner>;
  /** The queue's URL, or the rule's bus. */
  readonly where: string;
}

const ownerOf = (tags: Record<string, string | undefined>): Partial<Owner> | undefined =>
  tags[listenTags.marker] !== 'true'
    ? undefined
    : { host: tags[listenTags.host], pid: Number(tags[listenTags.pid]), stack: tags[listenTags.stack], since: tags[listenTags.since] };

/**
 * Every queue and rule (on this bus) that a `listen` made for this stack: found by their name's prefix
 * (the tagging API does not list every resource type: research-aws.md §5), kept only when their tags say so.
 */
export async function findListenResources({ sqs, events }: ListenClients, busName: string, stack: string): Promise<Leftover[]> {
  const found: Leftover[] = [];
  let next: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: LISTEN_PREFIX, NextToken: next, MaxResults: 1000 }));
    for (const url of page.QueueUrls ?? []) {
      const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
      const owner = ownerOf(Tags ?? {});
      if (owner?.stack === stack) found.push({ kind: 'queue', name: url.slice(url.lastIndexOf('/') + 1), owner, where: url });
    }
    next = page.NextToken;
  } while (next !== undefined);
  next = undefined;
  do {
    const page: ListRulesCommandOutput = await events.send(new ListRulesCommand({ NamePrefix: LISTEN_PREFIX, EventBusName: busName, NextToken: next }));
    for (const rule of page.Rules ?? []) {
      const arn = rule.Arn ?? (await events.send(new DescribeRuleCommand({ Name: rule.Name, EventBusName: busName }))).Arn;
      const { Tags } = await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
      const owner = ownerOf(Object.fromEntries((Tags ?? []).map((tag) => [tag.Key, tag.Value])));
      if (owner?.stack === stack) found.push({ kind: 'rule', name: rule.Name!, owner, where: busName });
    }
    next = page.NextToken;
  } while (next !== undefined);
  return found;
}

/** Whether a process is running on this machine. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A `listen` whose process is gone: on this machine and not running, or (with `everywhere`) on any other machine too. */
export const isLeftover = (leftover: Leftover, everywhere: boolean): boolean =>
  leftover.owner.host === hostname() ? leftover.owner.pid === undefined || !alive(leftover.owner.pid) : everywhere;

/** Removes what `findListenResources` found: each rule with its target, each queue. */
export async function removeLeftovers(clients: ListenClients, leftovers: readonly Leftover[]): Promise<void> {
  for (const leftover of leftovers) {
    if (leftover.kind === 'rule') await removeListenResources(clients, { ruleName: leftover.name, busName: leftover.where });
  }
  for (const leftover of leftovers) {
    if (leftover.kind === 'queue') await removeListenResources(clients, { queueUrl: leftover.where, busName: '' });
  }
}

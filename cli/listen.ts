/**
 * `npx tencent-im listen --stack NAME` (`npm run listen --`): a deployed receiver's events, live, on
 * this machine (docs/production.md#listen), as `stripe listen` does for Stripe's. With the user's AWS
 * credentials it makes a temporary SQS queue and a rule on the stack's bus (listen-resources.ts),
 * prints each event (stdout), optionally POSTs it to `--forward-to` and shows it in the local
 * inspector (`--inspector`, listen-inspector.ts), and removes both when it stops,
 * on Ctrl-C too. What a killed `listen` left behind, `--clean` removes.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/sdk-app-id.ts';
import { stackOutputNames } from '../infra/stack-output-names.ts';
import { OptionsError, runCommand } from './command.ts';
import { UsageError } from './fail.ts';
import { connectInspector, type InspectorSender } from './listen-inspector.ts';
import { checkListenCommand, listenPattern } from './listen-pattern.ts';
import {
  createListenResources,
  findListenResources,
  isLeftover,
  type Leftover,
  type ListenClients,
  type ListenResources,
  removeLeftovers,
  removeListenResources,
  thisProcess,
} from './listen-resources.ts';
import { POST_TIMEOUT_MS, RECEIVE_MAX_MESSAGES, RECEIVE_WAIT_SECONDS } from './listen-timing.ts';
import { regionConfig, stackOptionSpecs, stackOptions, stackOptionsHelp } from './stack-options.ts';
import { cloudFormation, describeStack, isAwsUserError } from './stack-outputs.ts';

export const usage = `Usage: npx tencent-im listen --stack NAME [--region R] [--bus NAME] [--command NAME …] [--group ID]
                             [--user ACCOUNT] [--app SDKAPPID] [--json] [--forward-to URL] [--inspector URL]
       npx tencent-im listen --stack NAME --clean [--everywhere]

Shows a deployed receiver's events as they are published, with your AWS credentials: makes a
temporary SQS queue and an EventBridge rule on the stack's bus (output EventBusName), prints each
event, and removes both when it stops (Ctrl-C too). Both are named tencent-im-listen-… and tagged.

${stackOptionsHelp(22)}
  --bus NAME          the bus, for a stack of your own without an EventBusName output
  --command NAME      only this command's events (repeat it for more)
  --group ID          only this group's events
  --user ACCOUNT      only the events by or about this account
  --app SDKAPPID      only this SDKAppID's events
  --json              each event as one JSON line (as EventBridge delivers it) instead of one line of text
  --forward-to URL    also POST each event, as JSON, to this URL (e.g. http://127.0.0.1:3000/events)
  --inspector URL     also show each event, live, on the pages of npm start's inspector at this URL
                      (the banner's Inspector line, e.g. http://127.0.0.1:3000/), marked "deployed"
  --clean             remove what a listen that was killed left behind for this stack, and stop
  --everywhere        with --clean: also what listens on other machines left (they may still run)

Costs a few cents a day while it runs (docs/production.md#costs).`;

export const expected = isAwsUserError;

interface ListenOptions {
  readonly stack: string;
  readonly region?: string;
  readonly bus?: string;
  readonly json: boolean;
  readonly forwardTo?: string;
  readonly inspector?: string;
}

function parse(args: string[]) {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...stackOptionSpecs,
      bus: { type: 'string' },
      command: { type: 'string', multiple: true },
      group: { type: 'string' },
      user: { type: 'string' },
      app: { type: 'string' },
      json: { type: 'boolean' },
      'forward-to': { type: 'string' },
      inspector: { type: 'string' },
      clean: { type: 'boolean' },
      everywhere: { type: 'boolean' },
    },
  });
  const { stack, region } = stackOptions(values, 'the deployed stack whose events to show');
  if (values.app !== undefined && !v.is(sdkAppId, values.app)) throw new OptionsError(`--app ${values.app}: must be an SDKAppID, a number such as 1400000000`);
  for (const option of ['forward-to', 'inspector'] as const) {
    const url = values[option];
    if (url === undefined) continue;
    if (!URL.canParse(url)) throw new OptionsError(`--${option} ${url}: must be a URL`);
    if (!/^https?:$/.test(new URL(url).protocol)) throw new OptionsError(`--${option} ${url}: must be an http:// or https:// URL`);
  }
  if (values.inspector !== undefined && values.clean) throw new OptionsError('--inspector is for listening: it does not go with --clean');
  if (values.everywhere && !values.clean) throw new OptionsError('--everywhere goes with --clean');
  const filter = { commands: (values.command ?? []).map(checkListenCommand), groupId: values.group, user: values.user, sdkAppId: values.app };
  const options: ListenOptions = {
    stack,
    region,
    bus: values.bus,
    json: values.json ?? false,
    forwardTo: values['forward-to'],
    inspector: values.inspector,
  };
  return { options, filter, clean: values.clean ?? false, everywhere: values.everywhere ?? false };
}

/** The bus: --bus, else the stack's EventBusName output. */
async function busOf(options: ListenOptions): Promise<string> {
  if (options.bus !== undefined) return options.bus;
  const stack = await describeStack(cloudFormation(options.region), options.stack);
  const bus = stack.outputs[stackOutputNames.eventBusName];
  if (bus === undefined || bus === '')
    throw new UsageError(
      `The stack ${options.stack} has no EventBusName output: its receiver publishes no events (the fan-out is off: docs/construct.md), or it is a stack of your own (give --bus NAME)`,
    );
  return bus;
}

const describeOwner = (leftover: Leftover) =>
  `pid ${leftover.owner.pid ?? '?'} on ${leftover.owner.host ?? '?'}${leftover.owner.since === undefined ? '' : `, since ${leftover.owner.since}`}`;

async function clean(clients: ListenClients, bus: string, stack: string, everywhere: boolean): Promise<void> {
  const found = await findListenResources(clients, bus, stack);
  // Rules first: removeLeftovers removes each rule before any queue, so that none sends to a queue gone.
  const gone = found.filter((leftover) => isLeftover(leftover, everywhere)).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'rule' ? -1 : 1));
  await removeLeftovers(clients, gone);
  for (const leftover of gone) console.log(`removed ${leftover.kind} ${leftover.name} (${describeOwner(leftover)})`);
  const kept = found.filter((leftover) => !gone.includes(leftover));
  for (const leftover of kept)
    console.error(`kept ${leftover.kind} ${leftover.name}: ${describeOwner(leftover)} may still be listening (--everywhere removes it too)`);
  if (found.length === 0) console.error(`Nothing left by a listen on ${stack}.`);
}

/** One line per event: when it was received, its command, group and user, its id. */
function eventLine(event: { time?: string; 'detail-type'?: string; detail?: Record<string, unknown> }): string {
  const detail = event.detail ?? {};
  const when = typeof detail.receivedAt === 'number' ? new Date(detail.receivedAt).toISOString() : (event.time ?? '');
  const fields = [when, event['detail-type'] ?? '?', detail.groupId, detail.user, detail.eventId];
  return fields.filter((field) => typeof field === 'string' && field !== '').join('  ');
}

async function forward(url: string, body: string): Promise<void> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
    await response.body?.cancel();
    console.error(`  → ${url} ${response.status}`);
  } catch (error) {
    console.error(`  → ${url} failed: ${(error as Error).message}`);
  }
}

async function show(messages: readonly Message[], options: ListenOptions, inspector: InspectorSender | undefined): Promise<void> {
  for (const message of messages) {
    const body = message.Body ?? '';
    let event: Parameters<typeof eventLine>[0];
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      console.error(`A message that is no event (left out): ${body.slice(0, 200)}`);
      continue;
    }
    console.log(options.json ? JSON.stringify(event) : eventLine(event));
    if (options.forwardTo !== undefined) await forward(options.forwardTo, body);
    if (inspector !== undefined) console.error(`  → inspector: ${await inspector.send(body)}`);
  }
}

/**
 * Listens until a signal: the signal aborts the receive, then the rule and the queue are removed.
 * A signal that comes while they are made waits for them, so they are removed too.
 */
async function listen(clients: ListenClients, bus: string, options: ListenOptions, pattern: object, inspector: InspectorSender | undefined): Promise<void> {
  const controller = new AbortController();
  let stoppedBy: string | undefined;
  const stop = (signal: NodeJS.Signals) => {
    // A second one while AWS is slow to answer: stop now; the tags let --clean find what is left.
    if (stoppedBy !== undefined) {
      console.error(`${signal} again: stopped without removing them: npx tencent-im listen --stack ${options.stack} --clean removes them`);
      process.exit(130);
    }
    stoppedBy = signal;
    console.error(`\n${signal}: removing the queue and the rule… (again to stop at once)`);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, stop);
  const leftovers = (await findListenResources(clients, bus, options.stack)).filter((leftover) => isLeftover(leftover, false));
  if (leftovers.length > 0)
    console.error(
      `${leftovers.length} queue(s) or rule(s) left by a listen that was killed: npx tencent-im listen --stack ${options.stack} --clean removes them`,
    );
  const owner = thisProcess(options.stack);
  let resources: ListenResources | undefined;
  try {
    resources = await createListenResources(clients, { busName: bus, pattern, owner, suffix: randomBytes(4).toString('hex') });
    if (options.inspector !== undefined) console.error(`Showing each event in the inspector at ${options.inspector} too, marked "deployed".`);
    console.error(`Listening to ${options.stack} (bus ${bus}, rule ${resources.ruleName}), pattern ${JSON.stringify(pattern)}. Ctrl-C stops.`);
    while (!controller.signal.aborted) {
      let messages: Message[];
      try {
        ({ Messages: messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, MaxNumberOfMessages: RECEIVE_MAX_MESSAGES, WaitTimeSeconds: RECEIVE_WAIT_SECONDS }),
          { abortSignal: controller.signal },
        ));
      } catch (error) {
        if (controller.signal.aborted) break;
        throw error;
      }
      await show(messages, options, inspector);
      if (messages.length > 0)
        await clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: resources.queueUrl,
            Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
    }
  } finally {
    if (resources !== undefined) {
      await removeListenResources(clients, resources);
      console.error(`Removed the queue and the rule ${resources.ruleName}.`);
    }
    for (const signal of signals) process.off(signal, stop);
  }
}

export async function main(args: string[]): Promise<void> {
  const { options, filter, clean: cleaning, everywhere } = parse(args);
  // Before anything is made in the account: a wrong URL fails at once.
  const inspector = options.inspector === undefined ? undefined : await connectInspector(options.inspector);
  const config = regionConfig(options.region);
  const clients: ListenClients = { sqs: new SQSClient(config), events: new EventBridgeClient(config) };
  try {
    const bus = await busOf(options);
    if (cleaning) await clean(clients, bus, options.stack, everywhere);
    else await listen(clients, bus, options, listenPattern(filter), inspector);
  } finally {
    clients.sqs.destroy();
    clients.events.destroy();
  }
}

if (import.meta.main) await runCommand('listen', { usage, main, expected }, process.argv.slice(2));

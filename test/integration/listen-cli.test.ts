/**
 * `npx tencent-im listen` (cli/listen.ts) in a child process, against moto's SQS, EventBridge (rules
 * with SQS targets deliver in moto: /work/notes/research-aws.md §5) and CloudFormation (a stack whose
 * outputs name the bus). It prints and forwards only the events its filters ask for, shows them on
 * npm start's inspector (`--inspector`), removes its queue and rule on Ctrl-C, and `--clean` removes
 * what a SIGKILLed listen left, and nothing else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateEventBusCommand, EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { LISTEN_PREFIX, listenName, listenTags } from '../../cli/listen-resources.ts';
import { VISIBILITY_TIMEOUT_SECONDS } from '../../cli/listen-timing.ts';
import { eventEntry } from '../../functions/fan-out/event-entry.ts';
import { EVENT_SOURCE } from '../../functions/fan-out/event-schema.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import type { DeployedCallback } from '../../local/inspector/inspector-types.ts';
import { type ForwardTarget, startForwardTarget } from '../support/forward-target.ts';
import { liveUntil } from '../support/inspector-client.ts';
import { type MotoServer, motoCredentials, motoRegion, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runScript } from '../support/processes.ts';
import { SDK_APP_ID, startTestReceiver, storedEvents } from '../support/receiver.ts';
import { answerSwallowingProxy } from '../support/swallowing-proxy.ts';

const STACK = 'im-listen';
const BUS = 'im-listen-bus';
/** A hang bound, never an expectation. */
const HANG_MS = 60_000;

let moto: MotoServer;
let target: ForwardTarget;
let sqs: SQSClient;
let events: EventBridgeClient;
const env = () => ({ ...moto.environment('SQS', 'EVENTBRIDGE', 'CLOUDFORMATION'), DEBUG: '' });

interface Listening {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  waitFor(text: string, where?: 'stdout' | 'stderr'): Promise<void>;
}

const children = new Set<ChildProcess>();
function startListen(args: string[], environment: NodeJS.ProcessEnv = {}): Listening {
  const child = spawn(process.execPath, [join(projectRoot, 'cli/listen.ts'), ...args], { cwd: projectRoot, env: { ...process.env, ...env(), ...environment } });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // After the exit and the last of its output: what it printed is all there.
  let closed = false;
  child.once('close', () => (closed = true));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    // Checked on each chunk the child writes, and given up once it has ended: no polling interval to sit out.
    waitFor(text, where = 'stderr') {
      const stream = where === 'stdout' ? child.stdout! : child.stderr!;
      const printed = () => (where === 'stdout' ? stdout : stderr).includes(text);
      return new Promise<void>((resolve, reject) => {
        const settle = (outcome: () => void) => {
          clearTimeout(timer);
          stream.off('data', check);
          child.off('close', ended);
          outcome();
        };
        const failure = () => new Error(`listen did not print "${text}":\n${stdout}\n${stderr}`);
        const check = () => printed() && settle(resolve);
        const ended = () => settle(() => (printed() ? resolve() : reject(failure())));
        const timer = setTimeout(() => settle(() => reject(failure())), HANG_MS);
        stream.on('data', check);
        child.once('close', ended);
        if (printed() || closed) ended();
      });
    },
  };
}

const listenQueues = async () =>
  ((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: LISTEN_PREFIX }))).QueueUrls ?? []).map((url) => url.split('/').pop());
const listenRules = async () =>
  ((await events.send(new ListRulesCommand({ NamePrefix: LISTEN_PREFIX, EventBusName: BUS }))).Rules ?? []).map((rule) => rule.Name);

const entry = (command: string, eventId: string, source = EVENT_SOURCE) => ({
  EventBusName: BUS,
  Source: source,
  DetailType: command,
  Detail: JSON.stringify({ eventId, sdkAppId: '1400000000', command, kind: 'after', groupId: '@TGS#1', receivedAt: Date.UTC(2026, 0, 1), body: {} }),
});

beforeAll(async () => {
  moto = await startMotoServer();
  target = await startForwardTarget();
  const config = { region: motoRegion, credentials: motoCredentials, endpoint: moto.endpoint };
  sqs = new SQSClient(config);
  events = new EventBridgeClient(config);
  const cloudFormation = new CloudFormationClient(config);
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  // moto creates a stack of a wait handle and literal outputs (research-aws.md §5): the outputs are what listen reads.
  const template = (outputs: Record<string, string>) =>
    JSON.stringify({
      Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
      Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
    });
  await cloudFormation.send(
    new CreateStackCommand({ StackName: STACK, TemplateBody: template({ EventBusName: BUS, CallbackUrl: 'https://example.com/callback' }) }),
  );
  await cloudFormation.send(new CreateStackCommand({ StackName: 'im-no-bus', TemplateBody: template({ CallbackUrl: 'https://example.com/callback' }) }));
  cloudFormation.destroy();
}, HANG_MS);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  sqs?.destroy();
  events?.destroy();
  await target?.down();
  await moto?.close();
});

describe('npx tencent-im listen', () => {
  test(
    'shows and forwards the events its filters ask for, and removes its queue and rule on Ctrl-C',
    async () => {
      const listen = startListen(['--stack', STACK, '--command', 'Group.CallbackAfterSendMsg', '--group', '@TGS#1', '--forward-to', `${target.url}/events`]);
      await listen.waitFor('Listening to im-listen');
      expect(await listenRules()).toHaveLength(1);
      expect(await listenQueues()).toHaveLength(1);
      // Hidden long enough for a batch whose posts all hang: SQS's default 30 s would hand it out again.
      const [queueUrl] = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: LISTEN_PREFIX }))).QueueUrls!;
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }));
      expect(Number(Attributes?.VisibilityTimeout)).toBe(VISIBILITY_TIMEOUT_SECONDS);
      // The ones it must not show first: moto delivers in order, so they would be shown before the one it must.
      await events.send(
        new PutEventsCommand({
          Entries: [entry('Group.CallbackAfterNewMemberJoin', 'other-command'), entry('Group.CallbackAfterSendMsg', 'other-source', 'elsewhere')],
        }),
      );
      await events.send(new PutEventsCommand({ Entries: [entry('Group.CallbackAfterSendMsg', 'wanted')] }));
      await listen.waitFor('wanted', 'stdout');
      await listen.waitFor('→');
      listen.child.kill('SIGINT');
      expect(await listen.exited).toBe(0);
      expect(listen.stdout()).toBe('2026-01-01T00:00:00.000Z  Group.CallbackAfterSendMsg  @TGS#1  wanted\n');
      expect(listen.stderr()).toMatch(
        /SIGINT: removing the queue and the rule… \(again to stop at once\)\nRemoved the queue and the rule tencent-im-listen-im-listen-\w+\.\n$/,
      );
      expect(target.received.map((event) => event.detail.eventId)).toEqual(['wanted']);
      expect(target.received[0]).toMatchObject({ source: EVENT_SOURCE, 'detail-type': 'Group.CallbackAfterSendMsg' });
      expect(await listenRules()).toEqual([]);
      expect(await listenQueues()).toEqual([]);
    },
    HANG_MS,
  );

  test(
    "--inspector: an event the fan-out published shows on the local inspector's open page, marked deployed",
    async () => {
      const receiver = await startTestReceiver({ inspector: {} });
      try {
        const body = { CallbackCommand: 'Group.CallbackAfterSendMsg', GroupId: '@TGS#deployed', From_Account: 'ann', MsgBody: [] };
        // The entry as the fan-out publishes a stored event (functions/fan-out/event-entry.ts).
        const event: StoredEvent = {
          eventId: 'c'.repeat(32),
          command: 'Group.CallbackAfterSendMsg',
          kind: 'after',
          sdkAppId: SDK_APP_ID,
          groupId: '@TGS#deployed',
          user: 'ann',
          receivedAt: Date.UTC(2026, 0, 1),
          payload: JSON.stringify(body),
          valid: true,
          expiresAt: 0,
        };
        const listen = startListen(['--stack', STACK, '--inspector', receiver.inspectorUrl!]);
        const { seen } = await liveUntil(
          receiver,
          (rows) => rows.some((row) => row.source === 'deployed'),
          async () => {
            await listen.waitFor('Listening to im-listen');
            await events.send(new PutEventsCommand({ Entries: [eventEntry(event, BUS).entry] }));
          },
        );
        await listen.waitFor('→ inspector: shown on 1 page');
        listen.child.kill('SIGINT');
        expect(await listen.exited).toBe(0);
        expect(listen.stderr()).toContain(`Showing each event in the inspector at ${receiver.inspectorUrl} too, marked "deployed".`);
        const row = seen.find((candidate): candidate is DeployedCallback => candidate.source === 'deployed')!;
        expect(row).toMatchObject({
          id: `deployed:${event.eventId}`,
          body: JSON.stringify(body),
          record: { outcome: 'published', groupId: '@TGS#deployed', user: 'ann' },
        });
        expect(row.record.region).toBe(motoRegion);
        // Shown, never stored: the local table has nothing of it.
        expect(await storedEvents(receiver)).toEqual([]);
      } finally {
        await receiver.close();
      }
    },
    HANG_MS,
  );

  test(
    '--clean removes what a SIGKILLed listen left, and nothing of anyone else',
    async () => {
      // A queue of the same prefix not made by listen, and one a listen made for another stack.
      await sqs.send(new CreateQueueCommand({ QueueName: `${LISTEN_PREFIX}not-ours` }));
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `${LISTEN_PREFIX}other-stack`,
          tags: { [listenTags.marker]: 'true', [listenTags.stack]: 'other', [listenTags.pid]: '1' },
        }),
      );
      const killed = startListen(['--stack', STACK, '--json']);
      await killed.waitFor('Listening to im-listen');
      killed.child.kill('SIGKILL');
      await killed.exited;
      expect(await listenRules()).toHaveLength(1);
      expect(await listenQueues()).toHaveLength(3);

      // The next listen says so.
      const next = startListen(['--stack', STACK]);
      await next.waitFor('Listening to im-listen');
      expect(next.stderr()).toContain(`left by a listen that was killed: npx tencent-im listen --stack ${STACK} --clean removes them`);
      next.child.kill('SIGTERM');
      expect(await next.exited).toBe(0);

      const { stdout } = await runScript('cli/listen.ts', ['--stack', STACK, '--clean'], env());
      const pid = String(killed.child.pid);
      expect(stdout.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(new RegExp(`^removed rule tencent-im-listen-im-listen-\\w+ \\(pid ${pid} on .+, since .+\\)$`)),
        expect.stringMatching(new RegExp(`^removed queue tencent-im-listen-im-listen-\\w+ \\(pid ${pid} on .+, since .+\\)$`)),
      ]);
      expect(await listenRules()).toEqual([]);
      expect((await listenQueues()).sort()).toEqual([`${LISTEN_PREFIX}not-ours`, `${LISTEN_PREFIX}other-stack`]);
    },
    HANG_MS,
  );

  test(
    'a second Ctrl-C while AWS does not answer the removal stops at once, and --clean removes what it left',
    async () => {
      // EventBridge through a proxy that can swallow its answers: the removal's first call then waits for good.
      const proxy = await answerSwallowingProxy(moto.endpoint);
      try {
        const listen = startListen(['--stack', STACK], { AWS_ENDPOINT_URL_EVENTBRIDGE: proxy.endpoint });
        await listen.waitFor('Listening to im-listen');
        proxy.swallow(true);
        listen.child.kill('SIGINT');
        await listen.waitFor('removing the queue and the rule');
        listen.child.kill('SIGINT');
        expect(await listen.exited).toBe(130);
        expect(listen.stderr()).toContain(`SIGINT again: stopped without removing them: npx tencent-im listen --stack ${STACK} --clean removes them\n`);
        proxy.swallow(false);
        expect(await listenRules()).toHaveLength(1);
        await runScript('cli/listen.ts', ['--stack', STACK, '--clean'], env());
        expect(await listenRules()).toEqual([]);
        expect((await listenQueues()).filter((name) => name!.startsWith(listenName(STACK, '')))).toEqual([]);
      } finally {
        await proxy.close();
      }
    },
    HANG_MS,
  );

  test(
    'fails in one line: an unknown stack, a stack without a bus, a mistyped command with the usage',
    async () => {
      const failing = (...args: string[]) =>
        runScript('cli/listen.ts', args, env()).then(
          () => ({ code: 0, stderr: '' }),
          (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
        );
      expect(await failing('--stack', 'nope')).toEqual({
        code: 1,
        stderr: `No stack nope in ${motoRegion}: check --stack, and --region or AWS_REGION (aws cloudformation list-stacks lists them)\n`,
      });
      const noBus = await failing('--stack', 'im-no-bus');
      expect(noBus.code).toBe(1);
      expect(noBus.stderr).toMatch(/^The stack im-no-bus has no EventBusName output: .+\n$/);
      // An --inspector nobody answers at: said before anything is made in the account.
      const noInspector = await failing('--stack', STACK, '--inspector', 'http://127.0.0.1:9/');
      expect(noInspector.code).toBe(1);
      expect(noInspector.stderr).toMatch(
        /^--inspector http:\/\/127\.0\.0\.1:9\/: no inspector answers there \(.+\): start npm start and give the URL its banner names/,
      );
      const typo = await failing('--stack', STACK, '--command', 'Group.CallbackAfterSendMgs');
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(
        /^--command Group.CallbackAfterSendMgs is no after-command of the registry; did you mean Group.CallbackAfterSendMsg\?\n\nUsage:/,
      );
      // Nothing made by the runs that failed.
      expect((await listenQueues()).filter((name) => name!.startsWith(listenName(STACK, '')))).toEqual([]);
    },
    HANG_MS,
  );
});

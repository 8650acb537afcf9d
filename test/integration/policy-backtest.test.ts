import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { type BacktestReport, backtest, formatBacktest, replayedCommands } from '../../cli/policy-backtest.ts';
import { type Policy, PolicySchema } from '../../functions/policy/policy-schema.ts';
import type { EventReader } from '../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../functions/store/read/dynamodb-event-reader.ts';
import { LOCAL_TABLE_NAME } from '../../local/embedded-store.ts';
import { post, SDK_APP_ID, startTestReceiver, type TestReceiver } from '../support/receiver.ts';
import { seededRandom, testSeed } from '../support/seed.ts';

/**
 * The backtest over a seeded local store: messages sent through the receiver (group and one-to-one,
 * a few whose body fails its schema), replayed through a candidate policy, and its per-rule counts
 * checked against a count made here, independently, from the texts that were sent.
 */
const GROUP = 'Group.CallbackAfterSendMsg';
const C2C = 'C2C.CallbackAfterSendMsg';
const SENDS = ['Group.CallbackBeforeSendMsg', 'C2C.CallbackBeforeSendMsg'];
const TEXT = 'MsgBody[].MsgContent.Text';
const pieces = ['hello', 'spam', 'darn', 'http://x.example', 'ok', 'DARN'];

const candidateJson = {
  rules: [
    { id: 'spam', command: SENDS, field: TEXT, containsAny: ['spam'], drop: true },
    { id: 'links', mode: 'shadow', command: SENDS, field: TEXT, pattern: 'https?://', drop: true },
    { id: 'darn', command: SENDS, field: TEXT, containsAny: ['darn'], mask: '*' },
  ],
};
const candidate: Policy = v.parse(PolicySchema, candidateJson);
const allowAll: Policy = { rules: [] };

interface Sent {
  readonly command: string;
  readonly text: string;
}

const dataDir = mkdtempSync(join(tmpdir(), 'policy-backtest-'));
let receiver: TestReceiver;
const sent: Sent[] = [];
let invalid = 0;

beforeAll(async () => {
  receiver = await startTestReceiver({ dataDir });
  const random = seededRandom(testSeed('policy backtest: messages'));
  for (let index = 0; index < 150; index++) {
    const command = random() < 0.6 ? GROUP : C2C;
    const text = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]).join(' ');
    const broken = random() < 0.05;
    const body = {
      CallbackCommand: command,
      From_Account: `user${index % 7}`,
      ...(command === GROUP ? { GroupId: '@TGS#room', MsgSeq: index } : { To_Account: 'leckie', MsgSeq: index, MsgKey: `k${index}` }),
      Random: index,
      EventTime: 1_767_225_600_000 + index * 1_000,
      // A body that fails its schema is stored all the same (valid: false); a backtest skips it.
      MsgBody: broken ? 'not a list' : [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
    };
    const { status } = await post(receiver, { command, body: JSON.stringify(body) });
    expect(status).toBe(200);
    if (broken) invalid++;
    else sent.push({ command, text });
  }
});
afterAll(async () => {
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The count made without the policy engine: what each rule of the candidate does to each text. */
function independentCount(messages: readonly Sent[]) {
  const has = (text: string, word: string) => text.toLowerCase().includes(word);
  let spam = 0;
  let darn = 0;
  let links = 0;
  for (const { text } of messages) {
    if (has(text, 'spam')) spam++;
    else if (has(text, 'darn')) darn++;
    if (/https?:\/\//.test(text)) links++;
  }
  return { spam, darn, links };
}

const run = (options: { commands?: readonly string[] } = {}) =>
  backtest({
    candidate,
    current: allowAll,
    reader: new DynamoDbEventReader(receiver.store.client, LOCAL_TABLE_NAME),
    sdkAppIds: [SDK_APP_ID],
    deadlineMs: 1_000,
    ...options,
  });

const byId = (report: BacktestReport) => Object.fromEntries(report.rules.map((rule) => [rule.id, rule]));

describe('backtest over the local store', () => {
  test('per-rule counts match an independent count; bodies failing their schema are counted and skipped', async () => {
    const report = await run();
    const expected = independentCount(sent);
    expect(report.evaluated).toBe(sent.length);
    expect(report.skipped).toBe(invalid);
    const rules = byId(report);
    expect(rules.spam).toMatchObject({ mode: 'enforce', hits: expected.spam, shadowHits: 0, changed: expected.spam });
    expect(rules.darn).toMatchObject({ hits: expected.darn, changed: expected.darn });
    // A shadow drop changes every answer it hits against an allow-everything policy, were it enforced.
    expect(rules.links).toMatchObject({ mode: 'shadow', hits: 0, shadowHits: expected.links, changed: expected.links });
    expect(report.changed).toBe(expected.spam + expected.darn);
    expect(report.commands).toEqual(replayedCommands.map(({ after }) => after));
    expect(report.commands).toEqual([GROUP, C2C, 'OfficialAccount.CallbackAfterSendMsg']);
    expect(rules.spam?.examples.length).toBe(Math.min(3, expected.spam));
    expect(rules.spam?.examples[0]).toMatchObject({ current: 'allowed', candidate: 'dropped' });
    expect(report.messagesPerSecond).toBeGreaterThan(0);
  });

  test('--command: only that command, by its after- or before-name', async () => {
    const c2c = independentCount(sent.filter(({ command }) => command === C2C));
    for (const name of [C2C, 'C2C.CallbackBeforeSendMsg']) {
      const report = await run({ commands: [name] });
      expect(report.commands).toEqual([C2C]);
      expect(report.evaluated).toBe(sent.filter(({ command }) => command === C2C).length);
      expect(byId(report).spam?.hits).toBe(c2c.spam);
    }
  });

  test('the same candidate as current changes nothing: the rules hit, no answer changes', async () => {
    const report = await backtest({
      candidate,
      current: candidate,
      reader: new DynamoDbEventReader(receiver.store.client, LOCAL_TABLE_NAME),
      sdkAppIds: [SDK_APP_ID],
      deadlineMs: 1_000,
    });
    expect(report.changed).toBe(0);
    expect(byId(report).spam?.hits).toBe(independentCount(sent).spam);
    expect(byId(report).spam?.changed).toBe(0);
    expect(formatBacktest(report)).toContain('0 answers would change');
  });
});

describe('stateful rules in a backtest', () => {
  /** Stored group messages, newest first as the store gives them: one page. */
  const newestFirst = (texts: readonly string[]): EventReader => ({
    list: () => Promise.reject(new Error('pages only')),
    async *pages(filter) {
      if (filter.command !== GROUP) return;
      yield texts.map((text, index) => {
        const at = 1_767_225_600_000 + (texts.length - index) * 1_000;
        const body = {
          CallbackCommand: GROUP,
          GroupId: '@TGS#room',
          From_Account: 'jared',
          MsgSeq: index,
          EventTime: at,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
        };
        return {
          eventId: index.toString(16).padStart(32, '0'),
          command: GROUP,
          kind: 'after',
          sdkAppId: SDK_APP_ID,
          user: 'jared',
          eventTime: at,
          receivedAt: at,
          payload: JSON.stringify(body),
          valid: true,
          expiresAt: 0,
        };
      });
    },
  });

  test('a repeat rule’s refusals are counted, its penalty is not replayed onto the messages sent before them', async () => {
    const repeat = v.parse(PolicySchema, {
      rules: [
        {
          id: 'spam',
          command: 'Group.CallbackBeforeSendMsg',
          field: TEXT,
          containsAny: ['spam'],
          refuse: { code: 10110, info: 'no spam' },
          after: JSON.parse('{"refusals":1,"window":"1h","then":{"refuse":{"code":10111,"info":"muted"},"for":"1h"}}'),
        },
      ],
    });
    // Newest first: the spam came last; the two before it were never muted.
    const report = await backtest({
      candidate: repeat,
      current: allowAll,
      reader: newestFirst(['spam', 'hello', 'hello']),
      sdkAppIds: [SDK_APP_ID],
      deadlineMs: 1_000,
    });
    expect(report.evaluated).toBe(3);
    expect(byId(report).spam).toMatchObject({ hits: 1, changed: 1 });
    expect(report.changed).toBe(1);
  });
});

describe('npm run policy', () => {
  // Not spawnSync: the store the CLI reads is served by this process (the running receiver's), which must stay free to answer.
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn('npx', ['node', 'cli/policy.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, IM_SDKAPPIDS: SDK_APP_ID, IM_POLICY: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => done({ status, stdout, stderr }));
    });

  test('--backtest --json: the report on stdout, read from the local store npm start runs', async () => {
    const file = join(dataDir, 'candidate.json');
    writeFileSync(file, JSON.stringify(candidateJson));
    const { status, stdout, stderr } = await cli(['--backtest', file, '--since', '3650d', '--json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as BacktestReport & { source: string };
    expect(report.source).toContain(dataDir);
    expect(report.evaluated).toBe(sent.length);
    expect(byId(report).spam?.hits).toBe(independentCount(sent).spam);
  });

  test('a candidate that fails a check is refused with the rule and the reason, no stack trace', async () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ rules: [{ command: 'Group.CallbackBeforeSendMsg', field: 'MsgBody[].MsgContent.Txt', in: ['x'], drop: true }] }));
    const { status, stderr } = await cli(['--check', file]);
    expect(status).toBe(1);
    expect(stderr).toContain(`The policy file ${file} is refused:`);
    expect(stderr).toContain(`rules.0.field: field "MsgBody[].MsgContent.Txt" is not in Group.CallbackBeforeSendMsg's body (rule 0)`);
    expect(stderr).not.toContain('    at ');
  });
});

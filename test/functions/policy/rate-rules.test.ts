import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import { actingOf, type Decision } from '../../../functions/policy/decision.ts';
import { compilePolicy } from '../../../functions/policy/policy.ts';
import { PolicySchema } from '../../../functions/policy/policy-schema.ts';
import { repeatSubjectOf } from '../../../functions/policy/rule-checks.ts';
import { LOCAL_COUNTERS_TABLE_NAME } from '../../../functions/store/counters-table.ts';
import { documentClient } from '../../../functions/store/dynamodb-event-store.ts';
import { DynamoDbPolicyCounters } from '../../../functions/store/dynamodb-policy-counters.ts';
import { type EmbeddedStore, localClient, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { answerSwallowingProxy } from '../../support/swallowing-proxy.ts';
import { problemsOf, text } from './test-families.ts';

/**
 * Rate and repeat-offender rules (docs/policy.md#rate-rules) counting in a real DynamoDB API (the
 * embedded store, dynalite, with the counters table `npm start` makes), on a clock the test moves.
 */
const SEND = commandDefinition('Group.CallbackBeforeSendMsg');
const TEXT = 'MsgBody[].MsgContent.Text';
const message = (words: string, from = 'jared', group = '@TGS#1') => ({ GroupId: group, From_Account: from, MsgBody: [text(words)] });

let store: EmbeddedStore;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
});
afterAll(async () => {
  await store.close();
});

/** A policy counting in the embedded store; each test's rules get ids of their own, so counters never mix. */
function policyOf(rules: unknown[], options: { counters?: DynamoDbPolicyCounters; rateBudgetMs?: number } = {}) {
  let time = Date.UTC(2026, 0, 1, 12, 0, 0);
  const policy = compilePolicy(v.parse(PolicySchema, { rules }), {
    counters: options.counters ?? new DynamoDbPolicyCounters(store.client, LOCAL_COUNTERS_TABLE_NAME),
    rateBudgetMs: options.rateBudgetMs ?? 5_000,
    wallClock: () => time,
  });
  return {
    decide: async (body: Record<string, unknown>) => policy.decide(SEND, body),
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const unique = () => `t${Math.random().toString(36).slice(2, 10)}`;
const acting = async (decision: Promise<Decision>) => actingOf(await decision);

describe('rate', () => {
  test('at the limit the messages go through; past it the rule matches; a new window starts again', async () => {
    const id = unique();
    const { decide, advance } = policyOf([{ id, command: SEND.command, rate: { per: 'From_Account', limit: 3, window: '10s' }, drop: true }]);
    for (let sent = 1; sent <= 3; sent++) expect(await acting(decide(message(`hi ${sent}`)))).toEqual({ action: 'allow' });
    expect(await acting(decide(message('hi 4')))).toEqual({ action: 'drop', rule: 0 });
    expect(await acting(decide(message('hi 5')))).toEqual({ action: 'drop', rule: 0 });
    // Another sender has counters of their own.
    expect(await acting(decide(message('hi', 'leckie')))).toEqual({ action: 'allow' });
    advance(10_000);
    expect(await acting(decide(message('hi 6')))).toEqual({ action: 'allow' });
  });

  test('only the bodies the rule’s field matches are counted, and an exempt sender is not', async () => {
    const id = unique();
    const { decide } = policyOf([
      {
        id,
        command: SEND.command,
        field: TEXT,
        pattern: 'https?://',
        rate: { per: 'From_Account', limit: 1, window: '1m' },
        unless: [{ field: 'From_Account', in: ['admin'] }],
        refuse: { code: 10120, info: 'one link a minute' },
      },
    ]);
    expect(await acting(decide(message('see http://a')))).toEqual({ action: 'allow' });
    for (let sent = 0; sent < 5; sent++) expect(await acting(decide(message('no link')))).toEqual({ action: 'allow' });
    expect(await acting(decide(message('and http://b')))).toEqual({ action: 'refuse', code: 10120, info: 'one link a minute', rule: 0 });
    for (let sent = 0; sent < 3; sent++) expect(await acting(decide(message('http://c', 'admin')))).toEqual({ action: 'allow' });
  });

  test('per GroupId, sharded: the count is estimated from one shard, and matches past the limit', async () => {
    const id = unique();
    let shard = 0;
    const counters = new DynamoDbPolicyCounters(store.client, LOCAL_COUNTERS_TABLE_NAME, { random: () => ((shard++ % 4) + 0.5) / 4 });
    const { decide } = policyOf([{ id, command: SEND.command, rate: { per: 'GroupId', limit: 8, window: '10s', shards: 4 }, drop: true }], { counters });
    const decisions: string[] = [];
    // Round-robin over 4 shards: shard n holds ceil(sent / 4); the estimate (its count × 4) passes 8 at the 9th message.
    for (let sent = 1; sent <= 12; sent++) decisions.push((await acting(decide(message(`m${sent}`, `user${sent}`)))).action);
    expect(decisions).toEqual([...Array(8).fill('allow'), ...Array(4).fill('drop')]);
  });

  test('refused at load: a rate without a per the body has, a bad window, a value matcher without a field', () => {
    const problems = problemsOf({
      rules: [
        { command: SEND.command, rate: { per: 'From_Acount', limit: 5, window: '10s' }, drop: true },
        { command: SEND.command, rate: { per: 'From_Account', limit: 5, window: '10 seconds' }, drop: true },
        { command: SEND.command, in: ['x'], drop: true },
      ],
    });
    expect(problems).toContain(`rules.0.rate.per: rate.per "From_Acount" is not in Group.CallbackBeforeSendMsg's body (rule 0)`);
    expect(problems).toContain('rules.1.rate.window: a duration is a whole number and a unit, such as "10s", "5m", "1h" or "1d"');
    expect(problems).toContain('needs a field to look at');
  });
});

describe('after: repeat offenders', () => {
  const rules = (id: string) => [
    {
      id,
      command: SEND.command,
      field: TEXT,
      containsAny: ['spam'],
      refuse: { code: 10110, info: 'no spam' },
      // As an operator writes it: JSON (a "then" key in code is a thenable to the linter).
      after: JSON.parse('{"refusals":2,"window":"1h","then":{"refuse":{"code":10111,"info":"muted for an hour"},"for":"1h"}}'),
    },
  ];

  test('refused twice in the window: everything from them is refused for the penalty, then allowed again', async () => {
    const { decide, advance } = policyOf(rules(unique()));
    expect(await acting(decide(message('spam')))).toEqual({ action: 'refuse', code: 10110, info: 'no spam', rule: 0 });
    expect(await acting(decide(message('hello')))).toEqual({ action: 'allow' });
    expect(await acting(decide(message('spam again')))).toEqual({ action: 'refuse', code: 10110, info: 'no spam', rule: 0 });
    const muted = await decide(message('hello'));
    expect(actingOf(muted)).toEqual({ action: 'refuse', code: 10111, info: 'muted for an hour', rule: 0 });
    expect(muted.penalty).toBe(true);
    // Others are not muted.
    expect(await acting(decide(message('hello', 'leckie')))).toEqual({ action: 'allow' });
    advance(3_600_000);
    expect(await acting(decide(message('hello')))).toEqual({ action: 'allow' });
  });

  test('whose refusals count defaults to the command’s actor; one that has none must say per', () => {
    const topic = 'Group.CallbackBeforeCreateTopic';
    expect(repeatSubjectOf({ after: undefined }, commandDefinition(topic))).toBe('Operator_Account');
    expect(repeatSubjectOf({ after: undefined }, commandDefinition('Group.CallbackBeforeSendMsg'))).toBe('From_Account');
    const problems = problemsOf({
      rules: [
        {
          command: 'Sns.CallbackPrevFriendAdd',
          field: 'From_Account',
          in: ['x'],
          refuse: { code: 38001 },
          after: JSON.parse('{"refusals":1,"window":"1h","then":{"drop":true,"for":"1h"}}'),
        },
      ],
    });
    expect(problems).toContain('answers per item: after is for commands refused whole');
    expect(problems).toContain('cannot drop');
    const broadcast = 'OfficialAccount.CallbackBeforeSendMsg';
    const withoutActor = problemsOf({
      rules: [
        {
          command: broadcast,
          field: 'MsgBody[].MsgContent.Text',
          containsAny: ['x'],
          drop: true,
          after: JSON.parse('{"refusals":1,"window":"1h","then":{"drop":true,"for":"1h"}}'),
        },
      ],
    });
    expect(withoutActor).toContain(`after needs a per: ${broadcast} names no actor whose refusals would count`);
  });
});

/** A DynamoDB API that throttles every request, as a table past its capacity does. */
async function throttlingTable(): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on('end', () => {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'throttled' }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('a counter table that cannot answer', () => {
  const rateRule = (id: string) => [
    { id, command: SEND.command, rate: { per: 'From_Account', limit: 1, window: '10s' }, drop: true },
    { command: SEND.command, field: TEXT, containsAny: ['spam'], refuse: { code: 10110, info: 'no spam' } },
  ];

  test('hung: the decision is answered when the budget is spent, the rate rule does not match, and the miss is counted', async () => {
    const proxy = await answerSwallowingProxy(store.endpoint);
    const client = documentClient(localClient(proxy.endpoint));
    try {
      const counters = new DynamoDbPolicyCounters(client, LOCAL_COUNTERS_TABLE_NAME);
      const { decide } = policyOf(rateRule(unique()), { counters, rateBudgetMs: 50 });
      proxy.swallow(true);
      // The table never answers: only the budget can end these decisions.
      for (let sent = 0; sent < 3; sent++) {
        const decision = await decide(message('hello'));
        expect(actingOf(decision)).toEqual({ action: 'allow' });
        expect(decision.counterMisses).toBe(1);
      }
      // The stateless rules still decide.
      const spam = await decide(message('spam'));
      expect(actingOf(spam)).toEqual({ action: 'refuse', code: 10110, info: 'no spam', rule: 1 });
      expect(spam.counterMisses).toBe(1);
    } finally {
      proxy.swallow(false);
      client.destroy();
      await proxy.close();
    }
  });

  test('throttled: the rate rule does not match and the miss is counted, once the SDK gives up', async () => {
    const table = await throttlingTable();
    // One attempt: the SDK's retries of a throttled call back off for seconds, and what is tested is the give-up.
    const client = documentClient(localClient(table.endpoint, { maxAttempts: 1 }));
    try {
      const counters = new DynamoDbPolicyCounters(client, LOCAL_COUNTERS_TABLE_NAME);
      // A budget that is only a hang bound: the SDK's own retries end the call with the throttling
      // error, so the table is surely asked however busy the machine (the budget's cut is the hung test's).
      const { decide } = policyOf(rateRule(unique()), { counters, rateBudgetMs: 5_000 });
      const decision = await decide(message('hello'));
      expect(actingOf(decision)).toEqual({ action: 'allow' });
      expect(decision.counterMisses).toBe(1);
      expect(table.requests()).toBeGreaterThanOrEqual(1);
    } finally {
      client.destroy();
      await table.close();
    }
  });
});

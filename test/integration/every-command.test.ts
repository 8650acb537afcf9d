/**
 * Every command of the registry, as Tencent sends it: its example body over HTTP into the local
 * receiver. Before-callbacks are answered and never stored; after-events are stored (each item of a
 * batch as an event of its own) with the subjects their definition names.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type CommandDefinition, subjectsOf } from '../../functions/commands/definition.ts';
import { commandRegistry } from '../../functions/commands/registry.ts';
import { type DynamoDbServer, startDynamoDb } from '../support/dynamodb-servers.ts';
import { post, startTestReceiver, storedEvents, type TestReceiver } from '../support/receiver.ts';
import { answerSwallowingProxy } from '../support/swallowing-proxy.ts';

const definitions = [...commandRegistry.values()];
const byKind = (kind: CommandDefinition['kind']) =>
  definitions.filter((definition) => definition.kind === kind).map((definition) => [definition.command, definition] as const);
const itemsOf = (definition: CommandDefinition) =>
  definition.batch === undefined ? [definition.example] : (definition.example[definition.batch.list] as Record<string, unknown>[]);

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver();
});
afterAll(() => receiver.close());

describe('every before-callback of the registry', () => {
  test.each(byKind('before'))('%s: its example is allowed, recorded, and never stored', async (command, definition) => {
    const { status, answer } = await post(receiver, { command, body: JSON.stringify(definition.example) });
    expect(status).toBe(200);
    expect(answer).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect((await storedEvents(receiver)).filter((event) => event.command === command)).toEqual([]);
    expect(receiver.records.at(-1)).toMatchObject({ command, kind: 'before', outcome: 'allowed', status: 200 });
  });
});

describe('every after-callback of the registry', () => {
  test.each(byKind('after'))('%s: its example is acknowledged and stored with its subjects', async (command, definition) => {
    const { status, answer } = await post(receiver, { command, body: JSON.stringify(definition.example) });
    expect(status).toBe(200);
    expect(answer).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ...definition.acknowledgement });
    const stored = (await storedEvents(receiver)).filter((event) => event.command === command);
    const items = itemsOf(definition);
    expect(stored).toHaveLength(items.length);
    for (const item of items) {
      const { groupId, topicId, user, time, timeField } = subjectsOf(definition, item);
      const event = stored.find((candidate) => candidate.payload === (definition.batch ? JSON.stringify(item) : JSON.stringify(definition.example)));
      expect(event).toMatchObject({ kind: 'after', valid: true });
      expect([event!.groupId, event!.topicId, event!.user]).toEqual([groupId, topicId, user]);
      // Tencent's EventTime is eventTime; a time from another field (C2C's MsgTime) is carried beside, not stored yet.
      expect(event!.eventTime).toBe(timeField === 'EventTime' ? time : undefined);
    }
    expect(receiver.records.at(-1)).toMatchObject({ command, kind: 'after', outcome: 'stored', ...(items.length > 1 ? { events: items.length } : {}) });
  });
});

describe('every after-callback, as a peer model writes it', () => {
  /** Jackson's unset fields and Go's nil slices: every field the schema declares and the item does not carry, as null. */
  const withNulls = (definition: CommandDefinition, item: Record<string, unknown>) => {
    const declared = Object.keys((definition.schema as unknown as { entries: Record<string, unknown> }).entries);
    return { ...Object.fromEntries(declared.filter((field) => !Object.hasOwn(item, field)).map((field) => [field, null])), ...item };
  };

  test.each(byKind('after'))('%s: its example with null for every unset field is stored valid, about the same', async (command, definition) => {
    const items = itemsOf(definition).map((item) => withNulls(definition, item));
    const body = definition.batch ? { ...definition.example, [definition.batch.list]: items } : items[0]!;
    const { status } = await post(receiver, { command, body: JSON.stringify(body) });
    expect(status).toBe(200);
    const stored = (await storedEvents(receiver)).filter((event) => event.command === command);
    for (const item of items) {
      const event = stored.find((candidate) => candidate.payload === JSON.stringify(definition.batch ? item : body));
      expect(event).toMatchObject({ valid: true });
      expect(event!.problems).toBeUndefined();
      expect([event!.groupId, event!.user]).toEqual([subjectsOf(definition, item).groupId, subjectsOf(definition, item).user]);
    }
  });
});

describe('account ids as bare numbers beyond 2^53, as the Live, Room and Call samples send them (docs/protocol.md#big-integers)', () => {
  test('are kept to the last digit: the event is valid, filed by the exact id, and the record names it', async () => {
    const command = 'Live.CallbackAfterMemberStateChanged';
    // As the page prints the id: a bare number, which JSON.parse would read as 144115233775727700.
    const body = `{"CallbackCommand":"${command}","RoomId":"big-ids","EventType":"Online","EventCause":"Enter","MemberList":[{"Member_Account":144115233775727695},{"Member_Account":10001}],"EventTime":1703589922780}`;
    const { status } = await post(receiver, { command, body });
    expect(status).toBe(200);
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.groupId === 'big-ids');
    expect(event).toMatchObject({ valid: true, user: '144115233775727695', payload: body });
    expect(receiver.records.at(-1)).toMatchObject({ command, user: '144115233775727695', fields: { member: '144115233775727695,10001' } });
  });
});

describe('while the table hangs', () => {
  let server: DynamoDbServer;
  beforeAll(async () => {
    server = await startDynamoDb('dynalite');
  });
  afterAll(() => server.close());

  test('every before-callback is answered while an after-event still waits on the table', async () => {
    const proxy = await answerSwallowingProxy(server.endpoint);
    // No fallback (no data directory) and the longest budget: the after-event waits as long as the table does.
    const hung = await startTestReceiver({ dynamodbEndpoint: proxy.endpoint });
    try {
      proxy.swallow(true);
      const [after] = byKind('after');
      let afterAnswered = false;
      const waiting = post(hung, { command: after![0], body: JSON.stringify(after![1].example) }).finally(() => (afterAnswered = true));
      for (const [command, definition] of byKind('before')) {
        const { status, answer } = await post(hung, { command, body: JSON.stringify(definition.example) });
        expect({ command, status, ErrorCode: answer.ErrorCode }).toEqual({ command, status: 200, ErrorCode: 0 });
      }
      expect(afterAnswered).toBe(false);
      proxy.swallow(false);
      await waiting.catch(() => undefined);
    } finally {
      proxy.swallow(false);
      await hung.close();
      await proxy.close();
    }
  });
});

import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { eventsAsJsonLines, eventsAsTable } from '../../../cli/format-events.ts';
import { type CallbackHandler, createCallbackHandler } from '../../../functions/callback/chain.ts';
import { CANARY_MARKER_KEY, canaryMarkerText, parseCanaryMarker } from '../../../functions/canary/canary-marker.ts';
import { readPath } from '../../../functions/commands/field-path.ts';
import { commandRegistry } from '../../../functions/commands/registry.ts';
import { fanOutRecords } from '../../../functions/fan-out/fan-out-records.ts';
import { DynamoDbEventStore, itemOf } from '../../../functions/store/dynamodb-event-store.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

const SENT_AT = 1_767_225_600_000;
const marker = canaryMarkerText({ id: 'run-1', sentAt: SENT_AT });

let store: EmbeddedStore;
let handler: CallbackHandler;
let reader: DynamoDbEventReader;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  handler = createCallbackHandler({ settings: testSettings(), store: new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME), log: () => undefined });
  reader = new DynamoDbEventReader(store.client, LOCAL_TABLE_NAME);
});
afterAll(() => store.close());

/** Posts a callback through the whole chain and returns what was stored for it. */
async function stored(command: string, body: Record<string, unknown>, optPlatform: string): Promise<StoredEvent> {
  // With the EventTime every callback of Tencent's carries: its event is keyed in time on its group's or account's keys.
  const text = JSON.stringify({ CallbackCommand: command, EventTime: SENT_AT, ...body });
  const answer = await handler(
    apiGatewayEvent({ query: { SdkAppid: SDK_APP_ID, CallbackCommand: command, contenttype: 'json', OptPlatform: optPlatform }, body: text }),
    { awsRequestId: 'canary-1' } as Context,
  );
  expect(answer.statusCode).toBe(200);
  // Read by the group or the account it happened to: a subject's keys list an event as soon as its put
  // returns, while a command's listing waits for the fan-out's indexer (docs/key-design.md#lag).
  const subject = typeof body.GroupId === 'string' ? { groupId: body.GroupId } : { user: String(body.To_Account) };
  const events = await reader.list({ sdkAppIds: [SDK_APP_ID], command, ...subject, limit: Number.POSITIVE_INFINITY });
  const event = events.find((each) => each.payload === text);
  if (event === undefined) throw new Error(`${command} was not stored`);
  return event;
}

describe('the canary marker', () => {
  test('reads back what the canary writes, and nothing else', () => {
    expect(parseCanaryMarker(marker)).toEqual({ id: 'run-1', sentAt: 1_767_225_600_000 });
    for (const text of [
      undefined,
      42,
      'plain text',
      `${CANARY_MARKER_KEY} but no JSON`,
      JSON.stringify({ [CANARY_MARKER_KEY]: { id: 'run-1' } }),
      JSON.stringify({ [CANARY_MARKER_KEY]: { id: 'a b', sentAt: 1 } }),
      JSON.stringify({ [CANARY_MARKER_KEY]: { id: 'run-1', sentAt: -1 } }),
      JSON.stringify([CANARY_MARKER_KEY]),
    ]) {
      expect(parseCanaryMarker(text)).toBeUndefined();
    }
  });

  test('the definitions that declare one are after-commands whose schema has the field, one per target', () => {
    const declaring = [...commandRegistry.values()].filter((definition) => definition.canary !== undefined);
    expect(declaring.map((definition) => definition.canary!.target).sort()).toEqual(['account', 'group']);
    for (const definition of declaring) {
      expect(definition.kind).toBe('after');
      // The example carries the field where the marker goes: the schema knows it.
      expect(readPath(definition.example, definition.canary!.marker)).toHaveLength(1);
    }
  });

  test.each([
    ['Group.CallbackAfterSendMsg', { GroupId: '@TGS#canary', From_Account: 'administrator', MsgBody: [], CloudCustomData: marker }],
    ['C2C.CallbackAfterSendMsg', { From_Account: 'administrator', To_Account: 'canary', MsgBody: [], CloudCustomData: marker }],
  ])('a %s sent through the REST API with the marker is stored as the canary', async (command, body) => {
    expect((await stored(command, body, 'RESTAPI')).canary).toBe(true);
  });

  test('the same marker from a client SDK is an ordinary message: a chat user cannot hide one from the fan-out', async () => {
    const event = await stored('Group.CallbackAfterSendMsg', { GroupId: '@TGS#canary', From_Account: 'mallory', CloudCustomData: marker, Random: 2 }, 'iOS');
    expect(event.canary).toBeUndefined();
  });

  test('a REST message without the marker, and a command that declares none, are ordinary', async () => {
    const plain = await stored('Group.CallbackAfterSendMsg', { GroupId: '@TGS#canary', CloudCustomData: '{"tencentImCanary":1}', Random: 3 }, 'RESTAPI');
    expect(plain.canary).toBeUndefined();
    const other = await stored('Group.CallbackAfterGroupInfoChanged', { GroupId: '@TGS#canary', CloudCustomData: marker, Name: 'x' }, 'RESTAPI');
    expect(other.canary).toBeUndefined();
  });

  test('the fan-out publishes every event but the canary’s, and listings mark it', async () => {
    const canary = await stored('Group.CallbackAfterSendMsg', { GroupId: '@TGS#fan', CloudCustomData: marker, Random: 4 }, 'RESTAPI');
    const person = await stored('Group.CallbackAfterSendMsg', { GroupId: '@TGS#fan', CloudCustomData: 'hello', Random: 5 }, 'RESTAPI');
    const published: string[] = [];
    const fanOut = fanOutRecords({
      publisher: { publish: async (entry) => void published.push(JSON.parse(entry.Detail!).eventId) },
      eventBusName: 'bus',
      count: () => undefined,
      logFailure: (failure) => {
        throw new Error(failure.error);
      },
    });
    const records = [canary, person].map((event, index) => ({
      eventID: String(index),
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: String(index + 1), NewImage: marshall(itemOf(event, eventKeyOf(event)), { removeUndefinedValues: true }) },
    }));
    const answer = await fanOut({ Records: records } as unknown as DynamoDBStreamEvent, {} as Context);
    expect(answer.batchItemFailures).toEqual([]);
    expect(published).toEqual([person.eventId]);

    expect(
      eventsAsTable([canary, person])
        .split('\n')
        .filter((line) => line.includes('(canary)')),
    ).toHaveLength(1);
    const [canaryLine, personLine] = eventsAsJsonLines([canary, person])
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(canaryLine.canary).toBe(true);
    expect(personLine).not.toHaveProperty('canary');
  });
});

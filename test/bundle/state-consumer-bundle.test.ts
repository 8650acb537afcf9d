import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { eventOf, isEventItem } from '../../functions/store/event-item.ts';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { synthesizeDeployedBundles } from '../support/deployed-bundle.ts';
import { batches, lives, propertySeed, schedules } from '../support/group-lives.ts';
import { post, SDK_APP_ID, startTestReceiver, testSettings } from '../support/receiver.ts';
import { referenceFold, referenceGroup, referenceUser } from '../support/state-reference.ts';

const outdir = mkdtempSync(join(tmpdir(), 'state-bundle-'));
let bundle: string;
beforeAll(() => {
  bundle = synthesizeDeployedBundles(testSettings(), outdir).state;
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The consumer bundle in a fresh Node process, as Lambda runs it, invoked once per stream event. */
async function invokeConsumer(stateStore: EmbeddedStore, events: unknown[]): Promise<Array<{ batchItemFailures: Array<{ itemIdentifier: string }> }>> {
  const child = execFile(process.execPath, [join(import.meta.dirname, '../support/invoke-bundle.ts'), bundle], {
    env: {
      PATH: process.env.PATH,
      STATE_TABLE_NAME: LOCAL_STATE_TABLE_NAME,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bundle',
      AWS_SECRET_ACCESS_KEY: 'bundle',
      AWS_ENDPOINT_URL_DYNAMODB: stateStore.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'state-bundle-test',
    },
  });
  child.stdin!.end(JSON.stringify(events));
  const stdout = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`bundle exited ${code}: ${err}`))));
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/** An image as Lambda's JSON carries it: a binary attribute (the compressed body) as base64 text. */
const delivered = (image: Record<string, { B?: Uint8Array }>) =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, value.B === undefined ? value : { B: Buffer.from(value.B).toString('base64') }]));

/** A stream record of an events-table item, as DynamoDB Streams sends it with NEW_IMAGE. */
const streamRecord = (item: Record<string, unknown>, sequence: number, eventName = 'INSERT') => ({
  eventID: `e${sequence}`,
  eventName,
  eventSource: 'aws:dynamodb',
  awsRegion: 'eu-west-1',
  dynamodb: {
    Keys: marshall({ p: item.p, s: item.s }),
    NewImage: delivered(marshall(item, { removeUndefinedValues: true })),
    SequenceNumber: String(sequence).padStart(21, '0'),
    StreamViewType: 'NEW_IMAGE',
  },
});

describe('the deployed state consumer bundle', () => {
  test('fed stream records of real stored items, shuffled, repeated and in several invocations, gives the reference fold', async () => {
    const seed = propertySeed('state consumer bundle');
    const property = fc.asyncProperty(
      lives(20).chain((life) => fc.tuple(fc.constant(life), fc.integer({ min: 1, max: 3 }), fc.infiniteStream(fc.nat()))),
      async ([life, invocations, randoms]) => {
        // Stored by the receiver, read back as the table holds them: what the stream would carry.
        const receiver = await startTestReceiver();
        const stateStore = await startEmbeddedStore({ port: 0 });
        try {
          for (const callback of life) await post(receiver, { command: callback.command, body: callback.body, query: { OptPlatform: callback.platform } });
          // The events: the indexer's pointers, digests and markers share the table and are no events.
          const { Items: all = [] } = await receiver.store.client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
          const Items = all.filter(isEventItem);
          const schedule = fc.sample(schedules(Items), { seed: randoms.next().value as number, numRuns: 1 })[0]!;
          const records = schedule.map((item, index) => streamRecord(item, index + 1));
          // A TTL deletion is skipped; a damaged image fails alone and is reported by its sequence number.
          const damaged = streamRecord(
            {
              p: `${SDK_APP_ID}#g#@TGS#g1#0`,
              s: `0000000001000#${'0'.repeat(32)}`,
              c: 'Group.CallbackAfterNewMemberJoin',
              b: new Uint8Array([1, 2, 3]),
              ra: 1,
              x: 1,
            },
            999_999,
          );
          records.push(streamRecord(Items[0]!, 999_998, 'REMOVE'), damaged);
          const results = await invokeConsumer(
            stateStore,
            batches(records, invocations).map((Records) => ({ Records })),
          );
          expect(results.flatMap((result) => result.batchItemFailures.map((failure) => failure.itemIdentifier))).toEqual([damaged.dynamodb.SequenceNumber]);

          const fold = referenceFold(Items.map(eventOf));
          const state = new DynamoDbStateStore(stateStore.client, LOCAL_STATE_TABLE_NAME);
          const local = new DynamoDbStateStore(receiver.store.client, LOCAL_STATE_TABLE_NAME);
          await receiver.state.idle();
          for (const groupId of ['@TGS#g1', '@TGS#g2']) {
            const expected = referenceGroup(SDK_APP_ID, groupId, fold);
            expect(await state.group(SDK_APP_ID, groupId)).toEqual(expected);
            // And local mode, whose view consumes its change log, agrees with the deployed consumer.
            expect(await local.group(SDK_APP_ID, groupId)).toEqual(expected);
          }
          for (const account of ['ann', 'bob', 'cy', 'dee']) expect(await state.user(SDK_APP_ID, account)).toEqual(referenceUser(SDK_APP_ID, account, fold));
        } finally {
          await Promise.all([receiver.close(), stateStore.close()]);
        }
      },
    );
    await fc.assert(property, { seed, numRuns: 3 });
  });
});

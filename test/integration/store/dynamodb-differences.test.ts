/**
 * Where dynalite and AWS's DynamoDB Local differ, shown rather than hidden: each test asserts what
 * each implementation actually does. None of these differences reaches the product:
 *
 * - UpdateTimeToLive: the CDK stack enables TTL on `x`; the local mode never does.
 * - TransactWriteItems: the product uses no transactions.
 * - ReturnValuesOnConditionCheckFailure: the product's duplicate check reads only the exception's
 *   type, never the old item.
 *
 * The product's own operations (conditional PutItem, Query on the indexes, BatchGetItem, CreateTable,
 * DescribeTable; Scan and UpdateItem for the backfill) run on both in dynamodb-event-store.test.ts
 * and event-listings.test.ts.
 */

import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { eventsTable } from '../../../functions/store/events-table.ts';
import { LOCAL_TABLE_NAME, localClient } from '../../../local/embedded-store.ts';
import { type DynamoDbServer, describeEachKind, startDynamoDb } from '../../support/dynamodb-servers.ts';

const SERVER_TIMEOUT_MS = 120_000;
const TableName = LOCAL_TABLE_NAME;

/** The error a rejected promise rejects with: its name and HTTP status. */
async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode };
  }
  throw new Error('expected a rejection, the call succeeded');
}

describeEachKind('on %s', (kind) => {
  let server: DynamoDbServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = await startDynamoDb(kind);
    client = localClient(server.endpoint);
  }, SERVER_TIMEOUT_MS);
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  }, SERVER_TIMEOUT_MS);

  describe('UpdateTimeToLive (the CDK stack enables TTL; the local mode never does)', () => {
    const enable = () =>
      client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: eventsTable.timeToLiveAttribute, Enabled: true } }));

    if (kind === 'dynalite') {
      test('is not supported: rejected as an unknown operation, and TTL stays disabled', async () => {
        expect(await failureOf(enable())).toEqual({ name: 'UnknownOperationException', status: 400 });
        const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName }));
        expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
      });
    } else {
      test('is supported: DescribeTimeToLive shows it enabled on the TTL attribute (x)', async () => {
        const { TimeToLiveSpecification } = await enable();
        expect(TimeToLiveSpecification).toEqual({ AttributeName: 'x', Enabled: true });
        const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName }));
        expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'x' });
      });
    }
  });

  describe('TransactWriteItems (the product uses no transactions)', () => {
    const ids = ['transact-1', 'transact-2'];
    const transact = () =>
      client.send(new TransactWriteItemsCommand({ TransactItems: ids.map((id) => ({ Put: { TableName, Item: { p: { S: id }, s: { S: '#' } } } })) }));
    const stored = async () =>
      (await Promise.all(ids.map((id) => client.send(new GetItemCommand({ TableName, Key: { p: { S: id }, s: { S: '#' } } }))))).map(({ Item }) => Item?.p?.S);

    if (kind === 'dynalite') {
      test('is not supported: rejected as an unknown operation, nothing written', async () => {
        expect(await failureOf(transact())).toEqual({ name: 'UnknownOperationException', status: 400 });
        expect(await stored()).toEqual([undefined, undefined]);
      });
    } else {
      test('is supported: both items written', async () => {
        await transact();
        expect(await stored()).toEqual(ids);
      });
    }
  });

  describe("ReturnValuesOnConditionCheckFailure: 'ALL_OLD' (the product reads only the exception's type)", () => {
    const old = { p: { S: 'return-old' }, s: { S: '#' }, ra: { N: '1' } };
    const putAgain = () =>
      client.send(
        new PutItemCommand({
          TableName,
          Item: { ...old, ra: { N: '2' } },
          ConditionExpression: 'attribute_not_exists(p)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    const rejection = async () => {
      try {
        await putAgain();
      } catch (error) {
        return error;
      }
      throw new Error('expected ConditionalCheckFailedException, the put succeeded');
    };

    beforeAll(() => client.send(new PutItemCommand({ TableName, Item: old })));

    test('both reject the duplicate with ConditionalCheckFailedException and keep the first item', async () => {
      expect(await rejection()).toBeInstanceOf(ConditionalCheckFailedException);
      const { Item } = await client.send(new GetItemCommand({ TableName, Key: { p: old.p, s: old.s } }));
      expect(Item).toEqual(old);
    });

    if (kind === 'dynalite') {
      test('is ignored: the exception carries no Item', async () => {
        const error = (await rejection()) as ConditionalCheckFailedException;
        expect(error.Item).toBeUndefined();
      });
    } else {
      test('is honoured: the exception carries the old item', async () => {
        const error = (await rejection()) as ConditionalCheckFailedException;
        expect(error.Item).toEqual(old);
      });
    }
  });
});

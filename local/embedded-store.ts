import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import { eventsTable, indexesAt } from '../functions/store/events-table.ts';
import { dataDirLayout, PRIVATE_FILE_MODE } from './data-dir.ts';
import { ensureCountersTable } from './local-counters-table.ts';
import { ensureStateTable } from './local-state-table.ts';
import { upgradeLegacyTable } from './local-table-upgrade.ts';
import { listenOn, prepareDataDir } from './startup-checks.ts';
import { guardStore } from './store-guard.ts';

/**
 * The table's name in local mode; in AWS, CloudFormation names it. Versioned with the key design:
 * a data directory of the first design is copied over on start (local-table-upgrade.ts).
 */
export const LOCAL_TABLE_NAME = 'tencent-im-callback-events-2';

/** Any region and dummy credentials: dynalite checks neither, the SDK (and the AWS CLI) want both. */
const LOCAL_REGION = 'local';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export const localClient = (endpoint: string) => new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

/**
 * The AWS CLI line that lists the local table, with what the CLI needs on a machine with no AWS
 * configuration: dummy credentials and a region (`--region`, which CLI v1 and v2 both read).
 */
export const awsCliScan = (endpoint: string) =>
  `AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} ` +
  `aws dynamodb scan --table-name ${LOCAL_TABLE_NAME} --region ${LOCAL_REGION} --endpoint-url ${endpoint}`;

export interface EmbeddedStore {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  close(): Promise<void>;
}

/** Creates the events table with the deployment's key design (events-table.ts) unless it exists. */
export async function ensureEventsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const indexes = indexesAt();
  const keyNames = new Set([eventsTable.partitionKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: eventsTable.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: index.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
      })),
      // The local mode tells its listeners itself (notifying-store.ts); DynamoDB Local takes the setting.
      StreamSpecification: { StreamEnabled: true, StreamViewType: eventsTable.stream },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
}

/** Far longer than a dynalite write takes (about 1.5 ms). */
const WRITES_GRACE_MS = 100;

/** Where a running `npm start` says its store listens, so `npm run events` can share it. */
const endpointFile = (dataDir: string) => join(dataDir, dataDirLayout.endpointFile);

export interface StartEmbeddedStoreOptions {
  /** Where LevelDB keeps the data; omitted, the store lives in memory (tests). */
  readonly dataDir?: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/**
 * Starts dynalite, a DynamoDB API server on LevelDB, behind a guard that turns browsers and foreign
 * Hosts away (store-guard.ts), and makes sure the events table exists. Closing it flushes and closes
 * LevelDB, so Ctrl-C loses nothing that was acknowledged.
 */
export async function startEmbeddedStore({ dataDir, port }: StartEmbeddedStoreOptions): Promise<EmbeddedStore> {
  const path = dataDir === undefined ? undefined : join(dataDir, dataDirLayout.store);
  if (dataDir !== undefined) await prepareDataDir(dataDir, path!);
  const server = dynalite({ path, createTableMs: 0 });
  guardStore(server);
  await listenOn(server, port, 'DYNAMODB_PORT');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = localClient(endpoint);
  await ensureEventsTable(base, LOCAL_TABLE_NAME);
  await ensureStateTable(base);
  await ensureCountersTable(base);
  const client = documentClient(base);
  await upgradeLegacyTable(base, client, LOCAL_TABLE_NAME);
  if (dataDir !== undefined) writeFileSync(endpointFile(dataDir), JSON.stringify({ endpoint, pid: process.pid }), { mode: PRIVATE_FILE_MODE });

  return {
    endpoint,
    client,
    async close() {
      if (dataDir !== undefined) rmSync(endpointFile(dataDir), { force: true });
      client.destroy();
      // A write whose client gave up (the write budget aborted it) still runs inside dynalite, which
      // throws, uncaught, if LevelDB closes under it: give such writes a moment to land first.
      await sleep(WRITES_GRACE_MS);
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A DynamoDB API somewhere else (DYNAMODB_ENDPOINT: DynamoDB Local, another dynalite), with the events table. */
export async function connectStore(endpoint: string): Promise<EmbeddedStore> {
  const base = localClient(endpoint);
  await ensureEventsTable(base, LOCAL_TABLE_NAME);
  await ensureStateTable(base);
  await ensureCountersTable(base);
  const client = documentClient(base);
  await upgradeLegacyTable(base, client, LOCAL_TABLE_NAME);
  return { endpoint, client, close: async () => client.destroy() };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The local store for a reader: the running `npm start`'s, when there is one (LevelDB allows one
 * process per directory), else a store of its own on the same data.
 */
export async function openLocalStore(dataDir: string): Promise<EmbeddedStore> {
  try {
    const running = JSON.parse(readFileSync(endpointFile(dataDir), 'utf8')) as { endpoint: string; pid: number };
    if (isAlive(running.pid)) return await connectStore(running.endpoint);
  } catch {
    // No server running: open the data directly.
  }
  return startEmbeddedStore({ dataDir, port: 0 });
}

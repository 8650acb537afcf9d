import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UsageError } from '../cli/fail.ts';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import type { KeyRules } from '../functions/store/event-keys.ts';
import { eventsTable } from '../functions/store/events-table.ts';
import { dataDirLayout, PRIVATE_FILE_MODE } from './data-dir.ts';
import type { StoreThreadData, StoreThreadMessage } from './embedded-store-thread.ts';
import { ensureTable } from './ensure-table.ts';
import { LOCAL_REGION } from './local-aws-names.ts';
import { ensureCountersTable } from './local-counters-table.ts';
import { ensureStateTable } from './local-state-table.ts';
import { upgradeLegacyTable } from './local-table-upgrade.ts';
import { prepareDataDir } from './startup-checks.ts';

/**
 * The table's name in local mode; in AWS, CloudFormation names it. Versioned with the key design
 * (the third): a data directory of an earlier one is copied over on start (local-table-upgrade.ts).
 */
export const LOCAL_TABLE_NAME = 'tencent-im-callback-events-3';

/** Dummy credentials: dynalite checks none, the SDK (and the AWS CLI) want them, as they want a region (LOCAL_REGION). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * What dynalite asks of a request's signature: an Authorization header of SigV4's form, and a date. It
 * checks no signature, so the embedded store's own clients send this, the same every time, instead of
 * signing each request (an HMAC chain over the request, per request: issue 19).
 */
const UNSIGNED = {
  authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/20000101/${LOCAL_REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
  'x-amz-date': '20000101T000000Z',
};
const unsignedSigner = {
  sign: async <Request extends { headers: Record<string, string> }>(request: Request) => {
    Object.assign(request.headers, UNSIGNED);
    return request;
  },
};

/**
 * A client of a local DynamoDB API. `sign: false` for the embedded store, which checks no signature;
 * any other (DynamoDB Local reads the access key from it) gets signed requests. `maxAttempts` is the
 * SDK's (default 3, with seconds of backoff on throttling).
 */
export const localClient = (endpoint: string, { sign = true, maxAttempts }: { readonly sign?: boolean; readonly maxAttempts?: number } = {}) =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts, ...(sign ? {} : { signer: unsignedSigner }) });

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
  /** Whether the store checks signatures: a client of its own (localClient) must sign then. */
  readonly checksSignatures: boolean;
  close(): Promise<void>;
}

/** Creates the events table with the deployment's key design (events-table.ts) unless it exists. */
export async function ensureEventsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, byActor } = eventsTable;
  await ensureTable(client, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, byActor.partitionKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: byActor.indexName,
        KeySchema: [
          { AttributeName: byActor.partitionKey, KeyType: 'HASH' },
          { AttributeName: byActor.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...byActor.include] },
      },
    ],
    // Local mode's consumers read its change log (change-log.ts), as dynalite has no stream; DynamoDB Local takes the setting.
    StreamSpecification: { StreamEnabled: true, StreamViewType: eventsTable.stream },
  });
}

/** Where a running `npm start` says its store listens, so `npm run events` can share it. */
const endpointFile = (dataDir: string) => join(dataDir, dataDirLayout.endpointFile);

export interface StartEmbeddedStoreOptions {
  /** Where LevelDB keeps the data; omitted, the store lives in memory (tests). */
  readonly dataDir?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The deployment's key rules (its busy accounts), for the copy of an earlier table's events. @default none */
  readonly rules?: KeyRules;
}

/** Starts dynalite on its thread (embedded-store-thread.ts): resolves with its port, or rejects as it failed. */
async function startStoreThread(data: StoreThreadData): Promise<{ worker: Worker; port: number; exited: Promise<unknown> }> {
  const worker = new Worker(new URL('./embedded-store-thread.ts', import.meta.url), { workerData: data });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const first = await new Promise<StoreThreadMessage>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    void exited.then((code) => reject(new Error(`the embedded store's thread stopped (exit code ${String(code)})`)));
  });
  worker.removeAllListeners('error');
  if ('error' in first) {
    await worker.terminate();
    throw first.usage ? new UsageError(first.error) : new Error(first.error);
  }
  if (!('port' in first)) throw new Error("the embedded store's thread did not say its port");
  // Once running, a failure inside dynalite ends its thread, not npm start: requests then fail, and
  // callbacks go to the spool, as with any store that went away.
  worker.on('error', (error) => console.error(`The embedded store failed: ${error.message}`));
  return { worker, port: first.port, exited };
}

/**
 * Starts dynalite, a DynamoDB API server on LevelDB, on a thread of its own, behind a guard that turns
 * browsers and foreign Hosts away (store-guard.ts), and makes sure the events table exists. Closing it
 * flushes and closes LevelDB, so Ctrl-C loses nothing that was acknowledged.
 */
export async function startEmbeddedStore({ dataDir, port, rules }: StartEmbeddedStoreOptions): Promise<EmbeddedStore> {
  const path = dataDir === undefined ? undefined : join(dataDir, dataDirLayout.store);
  if (dataDir !== undefined) await prepareDataDir(dataDir, path!);
  const thread = await startStoreThread({ path, port });
  const endpoint = `http://127.0.0.1:${thread.port}`;
  const base = localClient(endpoint, { sign: false });
  await ensureEventsTable(base, LOCAL_TABLE_NAME);
  await ensureStateTable(base);
  await ensureCountersTable(base);
  const client = documentClient(base);
  await upgradeLegacyTable(base, client, LOCAL_TABLE_NAME, rules);
  if (dataDir !== undefined) writeFileSync(endpointFile(dataDir), JSON.stringify({ endpoint, pid: process.pid }), { mode: PRIVATE_FILE_MODE });

  return {
    endpoint,
    client,
    checksSignatures: false,
    async close() {
      if (dataDir !== undefined) rmSync(endpointFile(dataDir), { force: true });
      client.destroy();
      thread.worker.postMessage('close');
      await thread.exited;
    },
  };
}

/**
 * A DynamoDB API somewhere else (DYNAMODB_ENDPOINT: DynamoDB Local, another dynalite), with the events
 * table; `rules` key the copy of an earlier table's events.
 */
export async function connectStore(endpoint: string, rules: KeyRules = {}): Promise<EmbeddedStore> {
  const base = localClient(endpoint);
  await ensureEventsTable(base, LOCAL_TABLE_NAME);
  await ensureStateTable(base);
  await ensureCountersTable(base);
  const client = documentClient(base);
  await upgradeLegacyTable(base, client, LOCAL_TABLE_NAME, rules);
  return { endpoint, client, checksSignatures: true, close: async () => client.destroy() };
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
 * process per directory), else a store of its own on the same data. `rules` are the deployment's key
 * rules (busyAccounts), as `npm start` keys events: a data directory of an earlier design is copied
 * by whichever opens it first (local-table-upgrade.ts).
 */
export async function openLocalStore(dataDir: string, rules: KeyRules): Promise<EmbeddedStore> {
  try {
    const running = JSON.parse(readFileSync(endpointFile(dataDir), 'utf8')) as { endpoint: string; pid: number };
    if (isAlive(running.pid)) return await connectStore(running.endpoint, rules);
  } catch {
    // No server running: open the data directly.
  }
  return startEmbeddedStore({ dataDir, port: 0, rules });
}

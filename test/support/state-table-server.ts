import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/store/dynamodb-event-store.ts';
import { DynamoDbStateStore, type DynamoDbStateStoreOptions } from '../../functions/synced-view/dynamodb-state-store.ts';
import { localClient } from '../../local/embedded-store.ts';
import { ensureStateTable, LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { type DynamoDbKind, type DynamoDbServer, type StartDynamoDbOptions, startDynamoDb } from './dynamodb-servers.ts';

/** A DynamoDB server with the state table, and a client that counts the calls made through it. */
export interface StateTableServer {
  readonly server: DynamoDbServer;
  readonly client: DynamoDBDocumentClient;
  /** The operations sent through `client`, in order (`UpdateItem`, `GetItem`…). */
  readonly calls: string[];
  store(options?: DynamoDbStateStoreOptions): DynamoDbStateStore;
  close(): Promise<void>;
}

export async function startStateTableServer(kind: DynamoDbKind, options: StartDynamoDbOptions = {}): Promise<StateTableServer> {
  const server = await startDynamoDb(kind, options);
  const base = localClient(server.endpoint);
  await ensureStateTable(base);
  const calls: string[] = [];
  base.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const client = documentClient(base);
  return {
    server,
    client,
    calls,
    store: (options) => new DynamoDbStateStore(client, LOCAL_STATE_TABLE_NAME, options),
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

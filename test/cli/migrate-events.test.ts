/**
 * `npm run events -- --migrate` stopped partway by AWS (throttling past the SDK's retries, expired
 * credentials) or by the network: one line saying where it stopped and to run it again, which
 * resumes. The faults are thrown where the SDK's retries have given up (the client's first step).
 * A listing while the copy from a deleted old table is unfinished says what to do, in one line.
 */
import { DeleteItemCommand, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { main as eventsMain } from '../../cli/events.ts';
import { UsageError } from '../../cli/fail.ts';
import { runMigration } from '../../cli/migrate-events.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { DEFAULT_PAGE_ITEMS } from '../../functions/store/migrate-events.ts';
import { newProgress, percentDone, readProgress, saveProgress } from '../../functions/store/migration-progress.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, localClient, startEmbeddedStore } from '../../local/embedded-store.ts';
import { storedMessage } from '../support/generated-callbacks.ts';
import { secondDesignTable } from '../support/second-design-table.ts';

const APP = '1400000066';
const OLD = 'deployed-events-2';
/** Two pages of one segment: the fault can fall between them. */
const EVENTS = DEFAULT_PAGE_ITEMS + 20;

/** An event as the second design stored it. */
const earlier = (n: number): StoredEvent => storedMessage(APP, 'bob', n);

let store: EmbeddedStore;
let stderr: jest.SpiedFunction<typeof console.error>;
beforeAll(async () => {
  stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  store = await startEmbeddedStore({ port: 0 });
  await secondDesignTable(
    store,
    OLD,
    Array.from({ length: EVENTS }, (_, n) => earlier(n)),
  );
});
afterAll(async () => {
  await store?.close();
  jest.restoreAllMocks();
});

/** A client whose `failing`-th Scan (1-based) and every later one fails with `fault`, as after the SDK's last retry. */
function faultyClient(failing: number, fault: () => Error) {
  const client = localClient(store.endpoint, { sign: store.checksSignatures });
  let scans = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ScanCommand' && ++scans >= failing) throw fault();
      return next(args);
    },
    { step: 'initialize', name: 'faultAfterRetries' },
  );
  return client;
}

const migrate = (client: ReturnType<typeof localClient>) => runMigration(client, { tables: { old: OLD, table: LOCAL_TABLE_NAME }, segments: 1 });
/** The line of a copy stopped by `cause`: at the percent its saved progress says. */
const stopped = async (cause: string) => {
  const saved = await readProgress(store.client, LOCAL_TABLE_NAME, OLD);
  return `The copy from ${OLD} stopped at ${percentDone(saved!)}% (${cause}); run the same command again: it resumes at its last saved page.`;
};

test('a copy stopped by the network, then by throttling, says where and to run it again; run again, it finishes', async () => {
  const dropped = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const first = await migrate(faultyClient(2, dropped)).catch((error: Error) => error);
  expect(first).toBeInstanceOf(UsageError);
  expect((first as Error).message).toBe(await stopped('Error: read ECONNRESET'));
  expect((await readProgress(store.client, LOCAL_TABLE_NAME, OLD))?.copied).toBe(DEFAULT_PAGE_ITEMS);

  const throttled = () => new ProvisionedThroughputExceededException({ message: 'Throughput exceeds the table’s limit', $metadata: {} });
  const second = await migrate(faultyClient(1, throttled)).catch((error: Error) => error);
  expect((second as Error).message).toBe(await stopped('ProvisionedThroughputExceededException: Throughput exceeds the table’s limit'));

  const done = await migrate(localClient(store.endpoint, { sign: store.checksSignatures }));
  // Resumed after the saved first page: nothing copied twice, nothing found there already.
  expect({ copied: done.copied, already: done.already }).toEqual({ copied: EVENTS, already: 0 });
});

/** `npm run events` in this process, against the embedded store as a deployed table (the SDK's endpoint variable). */
async function events(args: string[]): Promise<{ lines: string[]; exitCode: typeof process.exitCode }> {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, AWS_REGION: 'local', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  const from = stderr.mock.calls.length;
  try {
    await eventsMain(args);
    return { lines: stderr.mock.calls.slice(from).map((call) => String(call[0])), exitCode: process.exitCode };
  } finally {
    process.env = saved;
    process.exitCode = undefined;
  }
}

test('a listing while the copy from a deleted table is unfinished: one line naming it and what to do, which works', async () => {
  const gone = 'gone-events-2';
  await saveProgress(store.client, LOCAL_TABLE_NAME, newProgress(gone, 1, 0, 0), true);
  const { lines, exitCode } = await events(['--table', LOCAL_TABLE_NAME, '--app', APP]);
  expect(exitCode).toBe(1);
  const line = lines.at(-1)!;
  expect(line).toMatch(
    new RegExp(
      `^${gone} no longer exists, but the copy from it into ${LOCAL_TABLE_NAME} is not done: the events it had not reached cannot be listed\\. Restore ${gone} under that name and copy its events \\(npm run events -- --migrate --from ${gone} --to ${LOCAL_TABLE_NAME}\\), or forget them: aws dynamodb delete-item --table-name ${LOCAL_TABLE_NAME} --key '(.+)'$`,
    ),
  );
  // Forgotten as the line says, the listing reads the new table alone.
  const key = JSON.parse(/--key '(.+)'$/.exec(line)![1]!);
  const client = localClient(store.endpoint, { sign: store.checksSignatures });
  await client.send(new DeleteItemCommand({ TableName: LOCAL_TABLE_NAME, Key: key }));
  client.destroy();
  expect(await readProgress(store.client, LOCAL_TABLE_NAME, gone)).toBeUndefined();
  expect((await events(['--table', LOCAL_TABLE_NAME, '--app', APP])).exitCode).toBeUndefined();
});

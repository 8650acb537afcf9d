/**
 * `npx tencent-im replay <eventId>`: sends a stored event again, as Tencent sent it (its body, its
 * SdkAppid, ClientIP and OptPlatform), re-signed for now when IM_CALLBACK_TOKEN is set, to the npm
 * start running on DATA_DIR or to `--url`. The table keeps an event once: the same body again is a
 * `duplicate`, which is what a retry from Tencent is too.
 */

import { parseArgs } from 'node:util';
import { SettingsError, settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import type { EventReader, StoredEvent } from '../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { LOCAL_TABLE_NAME } from '../local/embedded-store.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { OptionsError, runCommand } from './command.ts';
import { UsageError } from './fail.ts';
import { describeSource } from './listing-source.ts';
import { askedSource, openStore } from './open-store.ts';
import { checkCanSign, receiverTarget, reportSent, sendCallback, shellTokens } from './receiver-target.ts';

export const usage = `Usage: npx tencent-im replay <eventId> [--url URL] [--table NAME [--region R]]

Sends a stored event again (npx tencent-im events shows their ids; the first 8 characters or more
are enough), as Tencent sent it, re-signed for now when IM_CALLBACK_TOKEN is set, to the npm start
running on DATA_DIR (or to --url). The table keeps each event once: the answer says duplicate unless
the event is gone. Prints the answer on stdout; exit 1 unless it is HTTP 200.

  --url URL          another receiver (default: the npm start on DATA_DIR)
  --table NAME       read the event from a deployed table (the stack's EventsTableName), with your
                     AWS credentials; --region R its region`;
export const expected = (error: Error) => error instanceof SettingsError;

/** The first 8 hex digits of an id make it one in four billion: enough to name it, as git's short ids do. */
const MIN_PREFIX = 8;

/** The stored event whose id is, or starts with, `id`: read page by page through the listing port. */
export async function findStoredEvent(reader: EventReader, sdkAppIds: readonly string[], id: string): Promise<StoredEvent | undefined> {
  for await (const page of reader.pages({ sdkAppIds, limit: Number.POSITIVE_INFINITY })) {
    const found = page.find((event) => event.eventId.startsWith(id));
    if (found !== undefined) return found;
  }
  return undefined;
}

export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { url: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new OptionsError('give one event id, e.g. npx tencent-im replay 3f9a2c41');
  const id = positionals[0]!.toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${MIN_PREFIX},32}$`).test(id)) {
    throw new OptionsError(
      `${JSON.stringify(positionals[0])} is not an event id: give its first ${MIN_PREFIX} or more hex characters, as npx tencent-im events shows them`,
    );
  }
  if (values.url !== undefined && !/^https?:\/\//i.test(values.url)) throw new OptionsError(`--url ${values.url}: must be an http:// or https:// URL`);
  const target = receiverTarget(values.url, process.env);
  const tokens = shellTokens(process.env);
  checkCanSign(target, tokens);
  const sdkAppIds = settingsFromContextAndEnvironment(cdkJsonContext(), process.env).sdkAppIds;
  const where = askedSource(values.table, values.region, localSettingsFromEnvironment(process.env).DATA_DIR);
  const store = await openStore(where, LOCAL_TABLE_NAME);
  let event: StoredEvent | undefined;
  try {
    // The receiver's own SDKAppIDs too: an event is listed under the app it came for.
    const apps = [...new Set([...sdkAppIds, ...(target.sdkAppIds ?? [])])];
    event = await findStoredEvent(new DynamoDbEventReader(store.client, store.tableName), apps, id);
  } finally {
    await store.close();
  }
  if (event === undefined) throw new UsageError(`No stored event ${id} in ${describeSource(where)}: npx tencent-im events lists what there is.`);
  const sent = await sendCallback(
    target,
    { sdkAppId: event.sdkAppId, command: event.command, clientIp: event.clientIp, optPlatform: event.optPlatform, body: event.payload },
    tokens,
  );
  reportSent(sent, `${event.command} ${event.eventId}`);
}

if (import.meta.main) await runCommand('replay', { usage, main, expected }, process.argv.slice(2));

/**
 * `npx tencent-im events` (`npm run events --`): stored events, newest first, from the local store
 * or a deployed table, printed page by page as they are read (memory stays flat). stdout carries the
 * events alone (a table, or JSON lines with --json); which store was read, and why a listing is
 * empty, go to stderr. `--migrate` copies a deployed table of the second key design into the third's
 * (migrate-events.ts); `--reindex` indexes a window of events again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CALLBACK_METHOD, CALLBACK_PATH } from '../functions/callback/callback-event.ts';
import { keyRulesOf } from '../functions/shared/busy-accounts.ts';
import { SettingsError, settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import type { EventReader, StoredEvent } from '../functions/store/event-store.ts';
import { isDone, listProgress, percentDone, readProgress } from '../functions/store/migration-progress.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { MigratingEventReader, OldTableGoneError, type UncopiedPart, wholeTable } from '../functions/store/read/migrating-event-reader.ts';
import { reindexEvents } from '../functions/store/reindex-events.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { stackOutputNames } from '../infra/stack-output-names.ts';
import { callbackUrl } from '../local/callback-url.ts';
import { LOCAL_TABLE_NAME } from '../local/embedded-store.ts';
import { type HarInput, harEntry, harFrame } from '../local/inspector/har.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { runningReceiver } from '../local/running-receiver.ts';
import { backfillKeys } from './backfill-keys.ts';
import { runCommand } from './command.ts';
import { type EventsOptions, eventsUsage, parseEventsOptions } from './events-options.ts';
import { UsageError } from './fail.ts';
import { followEvents, matchesFilter } from './follow-events.ts';
import { eventsAsJsonLines, tableWriter } from './format-events.ts';
import { describeFilter, describeSource, emptyListingMessage } from './listing-source.ts';
import { type DeployedTables, isMigrationError, migrateCommand, oldTableGoneLine, runMigration, stackTables } from './migrate-events.ts';
import { askedSource, openStore } from './open-store.ts';
import { regionConfig } from './stack-options.ts';

export const usage = eventsUsage;
export const expected = (error: Error) => error instanceof SettingsError || isMigrationError(error);

async function openSource(options: EventsOptions) {
  const dataDir = localSettingsFromEnvironment(process.env).DATA_DIR;
  const deployed: DeployedTables | undefined =
    options.stack !== undefined ? await stackTables(options.stack, options.region) : options.table === undefined ? undefined : { table: options.table };
  const where = askedSource(deployed?.table, options.region, dataDir);
  return { where, old: deployed?.old, ...(await openStore(where, LOCAL_TABLE_NAME)) };
}

/**
 * The reader of a listing: the table alone, or, while old tables' events are not all copied into it
 * (a copy's progress item says so, or the stack names an old table no copy has started on), the table
 * merged with what the copy has not reached; a line on stderr says which.
 */
async function readerOf(source: Awaited<ReturnType<typeof openSource>>, region: string | undefined): Promise<EventReader> {
  const copies = await listProgress(source.client, source.tableName);
  const parts: UncopiedPart[] = [];
  for (const progress of copies) {
    if (isDone(progress)) continue;
    parts.push(progress);
    console.error(
      `The copy from ${progress.source} is at ${percentDone(progress)}%: the old events it has not reached are listed from ${progress.source} too (${migrateCommand({ old: progress.source, table: source.tableName }, region)} resumes it).`,
    );
  }
  if (source.old !== undefined && !copies.some((progress) => progress.source === source.old)) {
    parts.push(wholeTable(source.old));
    console.error(
      `No copy from ${source.old} has started: its events are listed from it too, each listing reading it whole. Copy them: ${migrateCommand({ old: source.old, table: source.tableName }, region)}`,
    );
  }
  return parts.length === 0 ? new DynamoDbEventReader(source.client, source.tableName) : new MigratingEventReader(source.client, source.tableName, parts);
}

/** `--follow`: new events as the running npm start stores them, filtered as a listing is, until Ctrl-C. */
async function follow(options: EventsOptions, sdkAppIds: readonly string[]): Promise<void> {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const filter = { sdkAppIds, groupId: options.group, command: options.command, user: options.user };
  const write = tableWriter();
  const dataDir = localSettingsFromEnvironment(process.env).DATA_DIR;
  for await (const event of followEvents({ dataDir, signal: stop.signal, note: (line) => console.error(line) })) {
    if (matchesFilter(event, filter)) process.stdout.write(`${options.json ? eventsAsJsonLines([event]) : write([event])}\n`);
  }
}

/** The callback URL an exported event is shown as sent to: the running npm start's, else PORT's. */
function exportBase(): string {
  const local = localSettingsFromEnvironment(process.env);
  return runningReceiver(local.DATA_DIR)?.callbackUrl ?? `http://127.0.0.1:${local.PORT}${CALLBACK_PATH}`;
}

/** An event as a HAR entry: the request Tencent sent (Sign not kept), answered 200 since it was stored. */
const harInputOf = (event: StoredEvent, base: string): HarInput => ({
  at: event.receivedAt,
  method: CALLBACK_METHOD,
  url: callbackUrl(base, { sdkAppId: event.sdkAppId, command: event.command, clientIp: event.clientIp, optPlatform: event.optPlatform }),
  body: event.payload,
  comment: `stored event ${event.eventId}`,
});

export async function main(args: string[]): Promise<void> {
  const options = parseEventsOptions(args);
  // The copy names its tables; of the settings it reads busyAccounts alone (docs/key-design.md#busy-accounts).
  if (options.migrate === true) {
    const tables = options.stack === undefined ? { table: options.to!, old: options.from! } : await stackTables(options.stack, options.region);
    if (tables.old === undefined)
      throw new UsageError(`The stack ${options.stack} has no old events table (no ${stackOutputNames.oldEventsTableName} output): there is nothing to copy`);
    await runMigration(new DynamoDBClient(regionConfig(options.region)), {
      tables: { table: tables.table, old: tables.old },
      region: options.region,
      segments: options.segments,
      rules: keyRulesOf(settingsFromContextAndEnvironment(cdkJsonContext(), process.env).busyAccounts),
    });
    return;
  }
  const sdkAppIds = options.app ? [options.app] : settingsFromContextAndEnvironment(cdkJsonContext(), process.env).sdkAppIds;
  if (options.follow) return follow(options, sdkAppIds);
  // A DATA_DIR that cannot be opened, a setting that is wrong: one or two lines, no stack trace (command.ts).
  const source = await openSource(options);
  const { where } = source;
  try {
    if (options.backfill) {
      let last = { scanned: 0, updated: 0 };
      for await (const progress of backfillKeys(source.client, source.tableName)) {
        last = progress;
        console.error(`scanned ${progress.scanned}, keys added to ${progress.updated}`);
      }
      console.error(`Backfilled ${describeSource(where)}: ${last.updated} events given the current keys (${last.scanned} items scanned).`);
      return;
    }
    if (options.reindex === true) {
      let indexed = 0;
      // Pointed at the keys the receiver wrote: the deployment's busy accounts (docs/key-design.md#busy-accounts).
      const rules = keyRulesOf(settingsFromContextAndEnvironment(cdkJsonContext(), process.env).busyAccounts);
      for await (const count of reindexEvents(source.client, source.tableName, { since: options.since, until: options.until }, { rules })) {
        indexed = count;
        console.error(`indexed again ${indexed}`);
      }
      const window = describeFilter({ since: options.since, until: options.until });
      console.error(`Reindexed ${describeSource(where)}: ${indexed} events${window === '' ? '' : ` that arrived ${window}`} indexed again.`);
      return;
    }
    const filter = {
      sdkAppIds,
      groupId: options.group,
      command: options.command,
      user: options.user,
      since: options.since,
      until: options.until,
      limit: options.limit,
    };
    const write = tableWriter();
    const har = options.export === 'har' ? exportBase() : undefined;
    if (har !== undefined) process.stdout.write(harFrame.head);
    let listed = 0;
    const reader = where.type === 'table' ? await readerOf(source, options.region) : new DynamoDbEventReader(source.client, source.tableName);
    for await (const page of reader.pages(filter)) {
      if (page.length === 0) continue;
      if (har !== undefined) {
        process.stdout.write(`${listed === 0 ? '' : ','}${page.map((event) => JSON.stringify(harEntry(harInputOf(event, har)))).join(',')}`);
      } else process.stdout.write(`${options.json || options.export === 'jsonl' ? eventsAsJsonLines(page) : write(page)}\n`);
      listed += page.length;
    }
    if (har !== undefined) process.stdout.write(`${harFrame.tail}\n`);
    const shown = { ...filter, ...(options.app === undefined ? {} : { app: options.app }) };
    if (listed === 0) console.error(emptyListingMessage(shown, where));
    else
      console.error(
        `${listed} event${listed === 1 ? '' : 's'}${describeFilter(shown) === '' ? '' : ` ${describeFilter(shown)}`}, newest first, from ${describeSource(where)}.`,
      );
  } catch (error) {
    if (error instanceof OldTableGoneError) {
      const copyStarted = (await readProgress(source.client, source.tableName, error.table)) !== undefined;
      console.error(oldTableGoneLine({ old: error.table, table: source.tableName }, copyStarted, options.region));
      process.exitCode = 1;
      return;
    }
    const message = (error as Error).message;
    // A deployed table still on the first key design has no such index: say what to do.
    const hint = /specified index|index.*does not exist|bySubject|byApp/i.test(message)
      ? " It may still have the first key design's indexes: see docs/key-design.md#moving-a-deployed-table."
      : '';
    console.error(`Could not read ${describeSource(where)}: ${message}.${hint}`);
    process.exitCode = 1;
  } finally {
    await source.close();
  }
}

if (import.meta.main) await runCommand('events', { usage, main, expected }, process.argv.slice(2));

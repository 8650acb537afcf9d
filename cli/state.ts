/**
 * `npx tencent-im state --group ID | --user ACCOUNT | --rebuild [--app SDKAPPID] [--json] [--table NAME [--region R]]`
 * (`npm run state --`): the synced view, from the local store or a deployed state table (cli/state-options.ts).
 */
import { hostname } from 'node:os';
import { SettingsError, settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { DynamoDbStateStore } from '../functions/synced-view/dynamodb-state-store.ts';
import type { Lease } from '../functions/synced-view/state-generations.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { LOCAL_TABLE_NAME } from '../local/embedded-store.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { LOCAL_STATE_TABLE_NAME } from '../local/local-state-table.ts';
import { runCommand } from './command.ts';
import { askedSource, openStore } from './open-store.ts';
import { groupAsText, stateAsJson, userAsText } from './state-format.ts';
import { parseStateOptions, type StateOptions, stateUsage } from './state-options.ts';
import { INDEX_SETTLE_MS, rebuildState } from './state-rebuild.ts';

export const usage = stateUsage;
export const expected = (error: Error) => error instanceof SettingsError;

const openSource = async (options: StateOptions) => {
  const { client, tableName, close } = await openStore(
    askedSource(options.table, options.region, localSettingsFromEnvironment(process.env).DATA_DIR),
    LOCAL_STATE_TABLE_NAME,
  );
  return { client, close, stateTable: tableName, eventsTable: options.table === undefined ? LOCAL_TABLE_NAME : (options.eventsTable ?? '') };
};

/** The skipped events listed at most: the count says the rest. */
const LISTED = 50;

/** Whether a rebuild's lease is held by a process of this machine that is gone (killed mid-rebuild). */
const abandonedHere = (lease: Lease) => {
  if (lease.host !== hostname() || lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

export async function main(args: string[]): Promise<void> {
  const options = parseStateOptions(args);
  const sdkAppIds = options.app ? [options.app] : settingsFromContextAndEnvironment(cdkJsonContext(), process.env).sdkAppIds;
  // A DATA_DIR that cannot be opened, a setting that is wrong: one or two lines, no stack trace (command.ts).
  const source = await openSource(options);
  const state = new DynamoDbStateStore(source.client, source.stateTable);

  /** The first SDKAppID (in the order configured) that has it. */
  async function find<T>(read: (sdkAppId: string) => Promise<T | undefined>): Promise<T | undefined> {
    for (const sdkAppId of sdkAppIds) {
      const found = await read(sdkAppId);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  const apps = () => (sdkAppIds.length === 1 ? `SDKAppID ${sdkAppIds[0]}` : `SDKAppIDs ${sdkAppIds.join(', ')}`);

  async function rebuild() {
    const report = await rebuildState(new DynamoDbEventReader(source.client, source.eventsTable), state, sdkAppIds, {
      holder: { host: hostname(), pid: process.pid },
      abandoned: abandonedHere,
      // A deployed events table's indexes are eventually consistent; the local store's are not.
      settleMs: options.table === undefined ? 0 : INDEX_SETTLE_MS,
    });
    const generations = [...report.generations].map(([sdkAppId, generation]) => (report.generations.size === 1 ? generation : `${sdkAppId}: ${generation}`));
    console.log(
      `Rebuilt the synced view of ${apps()} from ${report.events} stored events, as generation ${generations.join(', ')}; ${report.removed} items of the older ones removed.`,
    );
    if (report.skipped.length > 0) {
      const count = report.skipped.length === 1 ? '1 event' : `${report.skipped.length} events`;
      console.log(`Skipped ${count} it could not project (the view has everything else):`);
      for (const { eventId, command, reason } of report.skipped.slice(0, LISTED)) console.log(`  ${eventId} ${command}: ${reason}`);
      if (report.skipped.length > LISTED) console.log(`  … and ${report.skipped.length - LISTED} more.`);
    }
  }

  try {
    if (options.rebuild) {
      await rebuild();
    } else if (options.group !== undefined || options.room !== undefined) {
      // A live room is the group its room id names (docs/synced-view.md#live-rooms): the same view, so named.
      const [what, id] = options.room === undefined ? ['group', options.group!] : ['live room', options.room];
      const group = await find((sdkAppId) => state.group(sdkAppId, id));
      if (group === undefined) {
        console.error(`No ${what} ${id} in the synced view of ${apps()}: no after-event of it has been stored.`);
        process.exitCode = 1;
      } else console.log(options.json ? stateAsJson(group) : groupAsText(group, what === 'live room' ? 'Live room' : 'Group'));
    } else {
      const user = await find((sdkAppId) => state.user(sdkAppId, options.user!));
      if (user === undefined) {
        console.error(`No user ${options.user} in the synced view of ${apps()}: no State.StateChange of them has been stored.`);
        process.exitCode = 1;
      } else console.log(options.json ? stateAsJson(user) : userAsText(user));
    }
  } catch (error) {
    const { message } = error as Error;
    console.error(
      options.rebuild ? `Could not rebuild the synced view, which was left as it was: ${message}` : `Could not read ${source.stateTable}: ${message}`,
    );
    process.exitCode = 1;
  } finally {
    await source.close();
  }
}

if (import.meta.main) await runCommand('state', { usage, main, expected }, process.argv.slice(2));

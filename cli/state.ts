/**
 * `npx tencent-im state --group ID | --user ACCOUNT | --rebuild [--app SDKAPPID] [--json] [--table NAME [--region R]]`
 * (`npm run state --`): the synced view, from the local store or a deployed state table (cli/state-options.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SettingsError, settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { DynamoDbStateStore } from '../functions/synced-view/dynamodb-state-store.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { LOCAL_TABLE_NAME, openLocalStore } from '../local/embedded-store.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { LOCAL_STATE_TABLE_NAME } from '../local/local-state-table.ts';
import { runCommand } from './command.ts';
import { groupAsText, stateAsJson, userAsText } from './state-format.ts';
import { parseStateOptions, type StateOptions, stateUsage } from './state-options.ts';
import { rebuildState } from './state-rebuild.ts';

export const usage = stateUsage;
export const expected = (error: Error) => error instanceof SettingsError;

const openSource = async (options: StateOptions) =>
  options.table === undefined
    ? { ...(await openLocalStore(localSettingsFromEnvironment(process.env).DATA_DIR)), stateTable: LOCAL_STATE_TABLE_NAME, eventsTable: LOCAL_TABLE_NAME }
    : {
        client: documentClient(new DynamoDBClient({ region: options.region })),
        stateTable: options.table,
        eventsTable: options.eventsTable ?? '',
        close: async () => undefined,
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

  try {
    if (options.rebuild) {
      const counts = await rebuildState(new DynamoDbEventReader(source.client, source.eventsTable), state, sdkAppIds);
      console.log(
        `Rebuilt the synced view of ${apps()} from ${counts.events} stored events: ${counts.written} items written, ${counts.removed} removed first.`,
      );
    } else if (options.group !== undefined) {
      const group = await find((sdkAppId) => state.group(sdkAppId, options.group!));
      if (group === undefined) {
        console.error(`No group ${options.group} in the synced view of ${apps()}: no after-event of it has been stored.`);
        process.exitCode = 1;
      } else console.log(options.json ? stateAsJson(group) : groupAsText(group));
    } else {
      const user = await find((sdkAppId) => state.user(sdkAppId, options.user!));
      if (user === undefined) {
        console.error(`No user ${options.user} in the synced view of ${apps()}: no State.StateChange of them has been stored.`);
        process.exitCode = 1;
      } else console.log(options.json ? stateAsJson(user) : userAsText(user));
    }
  } catch (error) {
    console.error(`Could not read ${source.stateTable}: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await source.close();
  }
}

if (import.meta.main) await runCommand('state', { usage, main, expected }, process.argv.slice(2));

/**
 * `npm run events -- [--group ID] [--command NAME] [--limit N] [--json] [--table NAME [--region R]]`:
 * stored events, newest first, from the local store or a deployed table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { settingsFromContextAndEnvironment } from '../functions/settings.ts';
import { documentClient, DynamoDbEventStore } from '../functions/store/dynamodb-event-store.ts';
import { cdkJsonContext } from '../lib/cdk-context.ts';
import { eventsUsage, parseEventsOptions } from '../lib/cli/events-options.ts';
import { eventsAsJsonLines, eventsAsTable } from '../lib/cli/format-events.ts';
import { LOCAL_TABLE_NAME, openLocalStore } from '../lib/local/embedded-store.ts';
import { localSettingsFromEnvironment } from '../lib/local/local-settings.ts';

let options, sdkAppIds;
try {
  options = parseEventsOptions(process.argv.slice(2));
  sdkAppIds = options.app ? [options.app] : settingsFromContextAndEnvironment(cdkJsonContext(), process.env).sdkAppIds;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${eventsUsage}`);
  process.exit(2);
}

const source = options.table === undefined
  ? { ...(await openLocalStore(localSettingsFromEnvironment(process.env).DATA_DIR)), tableName: LOCAL_TABLE_NAME }
  : { client: documentClient(new DynamoDBClient({ region: options.region })), tableName: options.table, close: async () => undefined };

try {
  const events = await new DynamoDbEventStore(source.client, source.tableName).list({
    sdkAppIds,
    groupId: options.group,
    command: options.command,
    limit: options.limit,
  });
  console.log(options.json ? eventsAsJsonLines(events) : eventsAsTable(events));
} catch (error) {
  console.error(`Could not read ${source.tableName}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await source.close();
}

/**
 * `npm run events -- --migrate`: copies a deployed table of the second key design into the third's
 * (functions/store/migrate-events.ts; docs/key-design.md#moving-a-deployed-table), with progress on
 * stderr. Both tables are checked first, so a wrong name, a table of the wrong design or missing
 * credentials is one line, not a stack trace.
 */
import { DescribeTableCommand, type DynamoDBClient, DynamoDBServiceException, type TableDescription } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import { type KeyRules, migrationProgressKey } from '../functions/store/event-keys.ts';
import { eventsTable } from '../functions/store/events-table.ts';
import { designKeys, keyDesignOf, keyOfTable } from '../functions/store/key-design.ts';
import { migrateEvents } from '../functions/store/migrate-events.ts';
import { MigrationConflictError, type MigrationProgress, percentDone, progressLine } from '../functions/store/migration-progress.ts';
import { stackOutputNames } from '../infra/stack-output-names.ts';
import { UsageError } from './fail.ts';
import { networkErrorCode } from './network-errors.ts';
import { cloudFormation, describeStack, isAwsUserError } from './stack-outputs.ts';

/** The tables a listing or a copy reads, from --table/--from/--to or from the stack's outputs. */
export interface DeployedTables {
  /** The third design's table. */
  readonly table: string;
  /** The second design's, when known (--from, or the stack's OldEventsTableName output). */
  readonly old?: string;
}

/** The tables the stack's outputs name (callback-stack.ts): EventsTableName, and OldEventsTableName until retired. */
export async function stackTables(stack: string, region: string | undefined): Promise<DeployedTables> {
  const { outputs } = await describeStack(cloudFormation(region), stack);
  const table = outputs[stackOutputNames.eventsTableName];
  if (table === undefined || table === '')
    throw new UsageError(`The stack ${stack} has no ${stackOutputNames.eventsTableName} output: give --table (or --from and --to)`);
  const old = outputs[stackOutputNames.oldEventsTableName];
  return { table, ...(old === undefined || old === '' ? {} : { old }) };
}

/** The command that copies `old` into `table`, for messages. */
export const migrateCommand = (tables: Required<DeployedTables>, region?: string) =>
  `npm run events -- --migrate --from ${tables.old} --to ${tables.table}${region === undefined ? '' : ` --region ${region}`}`;

/**
 * What a listing says when an old table it still reads is gone (read/migrating-event-reader.ts
 * OldTableGoneError): restore it and finish the copy, or forget the events the copy had not reached
 * (its progress item: docs/key-design.md#moving-a-deployed-table), or, no copy made, retire it in the stack.
 */
export function oldTableGoneLine(tables: Required<DeployedTables>, copyStarted: boolean, region?: string): string {
  const { old, table } = tables;
  const restore = `Restore ${old} under that name and copy its events (${migrateCommand(tables, region)})`;
  if (!copyStarted)
    return `${old} (the stack's ${stackOutputNames.oldEventsTableName} output) no longer exists and no copy from it was made: its events cannot be listed. ${restore}, or leave it out of the stack (-c retireEventsTable=true, docs/key-design.md#moving-a-deployed-table).`;
  const key = migrationProgressKey(old);
  const progressKey = JSON.stringify({ [eventsTable.partitionKey]: { S: key.partitionKey }, [eventsTable.sortKey]: { S: key.sortKey } });
  return `${old} no longer exists, but the copy from it into ${table} is not done: the events it had not reached cannot be listed. ${restore}, or forget them: aws dynamodb delete-item --table-name ${table} --key '${progressKey}'${region === undefined ? '' : ` --region ${region}`}`;
}

/** The table's description, or one line saying why it could not be read. */
async function describe(base: DynamoDBClient, tableName: string, role: string): Promise<TableDescription> {
  try {
    const { Table } = await base.send(new DescribeTableCommand({ TableName: tableName }));
    return Table!;
  } catch (error) {
    const { name, message } = error as Error;
    const region = await base.config.region().catch(() => "the AWS SDK's default region");
    if (name === 'ResourceNotFoundException') throw new UsageError(`No table ${tableName} in ${region}: check ${role}, and --region or AWS_REGION`);
    // Credentials, permissions, a region, or no DynamoDB endpoint to reach: the user's to fix.
    if (isAwsUserError(error as Error) || /Region is missing/i.test(message) || networkErrorCode(error) !== undefined) {
      throw new UsageError(`Could not read table ${tableName} in ${region}: ${name}: ${message.replace(/\s+/g, ' ')}`);
    }
    throw error;
  }
}

/** Checks that `from` has the second design's key and `to` the third's: a copy the wrong way round would write nonsense. */
async function checkedTables(base: DynamoDBClient, from: string, to: string): Promise<number> {
  const [old, current] = await Promise.all([describe(base, from, '--from'), describe(base, to, '--to')]);
  if (keyDesignOf(old) !== 'second') {
    throw new UsageError(
      `${from} is not a table of the second key design (its key is ${keyOfTable(old) || 'unknown'}, not ${designKeys.second}): --from names the old table (the stack's ${stackOutputNames.oldEventsTableName} output)`,
    );
  }
  if (keyDesignOf(current) !== 'third') {
    throw new UsageError(
      `${to} is not a table of the third key design (its key is ${keyOfTable(current) || 'unknown'}, not ${designKeys.third}): --to names the new table (the stack's ${stackOutputNames.eventsTableName} output)`,
    );
  }
  return old.ItemCount ?? 0;
}

export interface MigrateCliOptions {
  readonly tables: Required<DeployedTables>;
  readonly region?: string;
  readonly segments?: number;
  /** The deployment's key rules (its busy accounts): the copy keys each event as the receiver would. @default none */
  readonly rules?: KeyRules;
}

/** Runs the copy, a progress line on stderr after each page and a last one that says it is done. */
export async function runMigration(base: DynamoDBClient, options: MigrateCliOptions): Promise<MigrationProgress> {
  const { old: from, table: to } = options.tables;
  const sourceItems = await checkedTables(base, from, to);
  const client = documentClient(base);
  let last: MigrationProgress | undefined;
  let done: MigrationProgress;
  try {
    done = await migrateEvents(client, {
      from,
      to,
      sourceItems,
      segments: options.segments,
      rules: options.rules,
      onProgress: (progress) => {
        if (last === undefined && (progress.copied > 0 || progress.already > 0))
          console.error(`Resuming the copy from ${from}, started ${new Date(progress.startedAt).toISOString()}.`);
        last = progress;
        console.error(progressLine(progress));
      },
    });
  } catch (error) {
    // Credentials that expired, throttling past the SDK's retries, a network gone: the copy resumes where it saved.
    if (error instanceof Error && (error instanceof DynamoDBServiceException || isAwsUserError(error) || networkErrorCode(error) !== undefined)) {
      throw new UsageError(
        `The copy from ${from} stopped at ${last === undefined ? 0 : percentDone(last)}% (${error.name}: ${error.message.replace(/\s+/g, ' ')}); run the same command again: it resumes at its last saved page.`,
      );
    }
    throw error;
  }
  console.error(
    `Done: the events of ${from} are in ${to} (${done.copied} copied, ${done.already} there already); listings of ${to} now read it alone. Retire ${from} when its events are no longer wanted (docs/key-design.md#moving-a-deployed-table).`,
  );
  return done;
}

/** Failures of a copy that are the user's to act on: one line. */
export const isMigrationError = (error: Error) => error instanceof MigrationConflictError;

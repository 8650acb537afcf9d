import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import * as v from 'valibot';
import { eventsTable } from '../functions/store/events-table.ts';
import { indexesAt, type MigrationStep, migrationSteps, eventsTable as secondDesign } from '../functions/store/legacy/legacy-table.ts';

/**
 * The deployment setting `eventsTableMigrationStep` (infra/deployment-settings.ts): where a deployed
 * table of the second key design is in its move from the first design's indexes, one index change
 * per deploy.
 */
export const MigrationStepSchema = v.pipe(
  v.union([v.number(), v.string()]),
  v.transform(Number),
  v.picklist(migrationSteps, `must be one of ${migrationSteps.join(', ')}, or unset once the migration is done`),
);

/**
 * What a team may set on the events table. The key design, the indexes, the stream and the TTL are
 * the receiver's (functions/store/events-table.ts): the handlers and the consumers depend on them.
 */
export type EventsTableOverrides = Pick<
  dynamodb.TableProps,
  | 'tableName'
  | 'removalPolicy'
  | 'deletionProtection'
  | 'pointInTimeRecoverySpecification'
  | 'encryption'
  | 'encryptionKey'
  | 'tableClass'
  | 'contributorInsightsSpecification'
>;

/** The names EventsTableOverrides allows, for the receiver's validation. */
export const eventsTableOverrideNames = [
  'tableName',
  'removalPolicy',
  'deletionProtection',
  'pointInTimeRecoverySpecification',
  'encryption',
  'encryptionKey',
  'tableClass',
  'contributorInsightsSpecification',
] as const satisfies readonly (keyof EventsTableOverrides)[];

export interface EventsTableProps {
  /**
   * Where the deployed table of the second design is in its migration from the first design's
   * indexes (legacy-table.ts `indexesAt`; the `eventsTableMigrationStep` setting). Default: none.
   */
  readonly migrationStep?: MigrationStep;
  /**
   * Leave the table of the second key design out of the stack (the `retireEventsTable` setting).
   * Retained, it stays in the account with its events; a new deployment has none to keep. Default: false.
   */
  readonly retireDeployedTable?: boolean;
  /** Properties over the receiver's, such as a name or a KMS key. Default: none. */
  readonly overrides?: EventsTableOverrides;
}

/**
 * What a writer of events (the callback, the drain) may do on the table: the conditional put of an
 * event, and, before its first item on a wide subject's keys, a read and an update of that subject's
 * marker (functions/store/subject-markers.ts). Never a delete; no index ARN.
 */
export const eventWriterActions = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'];

/** What both tables share: on-demand, point-in-time recovery, retained and protected from deletion. */
const kept = {
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  // The events are the record of what happened; they outlive the stack, and no delete-table
  // call (a console click, a script) removes them until the protection is switched off first.
  removalPolicy: RemovalPolicy.RETAIN,
  deletionProtection: true,
} as const;

/**
 * The events table as functions/store/events-table.ts designs it (the third key design): on-demand,
 * point-in-time recovery, TTL, the stream (new images) for its consumers, retained when the stack goes
 * and protected from deletion. Beside it, unless retired, the table of the second design exactly as
 * it was deployed (same logical id, keys and indexes): a key schema cannot change in place, so the
 * third design is a new table (a new logical id), and the deployed one is kept, retained and
 * untouched, never replaced nor orphaned by an update (docs/key-design.md#moving-a-deployed-table).
 * The receiver writes the new one only; `npm run events -- --migrate` copies the old one's events into
 * it, and listings read the old one for what the copy has not reached.
 */
export class EventsTable extends Construct {
  /** The table the receiver writes: the third design. */
  readonly table: dynamodb.Table;
  /** The deployed table of the second design, kept as it was; undefined once retired. */
  readonly deployedTable?: dynamodb.Table;

  constructor(scope: Construct, id: string, props: EventsTableProps = {}) {
    super(scope, id);
    if (props.migrationStep !== undefined && !migrationSteps.includes(props.migrationStep)) {
      throw new TypeError(`EventsTable: migrationStep must be one of ${migrationSteps.join(', ')}`);
    }
    if (props.migrationStep !== undefined && props.retireDeployedTable === true) {
      throw new TypeError('EventsTable: migrationStep is for the deployed table, which retireDeployedTable leaves out');
    }
    const { tableName, ...overrides } = props.overrides ?? {};
    this.table = new dynamodb.Table(this, 'Keyed', {
      partitionKey: { name: eventsTable.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: eventsTable.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: eventsTable.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[eventsTable.stream],
      ...kept,
      ...overrides,
      // A name the deployed table has already: the new one's is told apart by the design's number.
      ...(tableName === undefined ? {} : { tableName: props.retireDeployedTable === true ? tableName : `${tableName}-3` }),
    });
    const { byActor } = eventsTable;
    this.table.addGlobalSecondaryIndex({
      indexName: byActor.indexName,
      partitionKey: { name: byActor.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byActor.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...byActor.include],
    });
    if (props.retireDeployedTable !== true) this.deployedTable = this.#deployed(props);
  }

  /**
   * The second design's table, built as it was deployed. `Default` keeps the logical id it had before
   * this construct: a new id would make CloudFormation replace it, leaving the retained old one, and
   * its events, behind.
   */
  #deployed(props: EventsTableProps): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Default', {
      partitionKey: { name: secondDesign.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: secondDesign.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[secondDesign.stream],
      ...kept,
      ...props.overrides,
    });
    for (const index of indexesAt(props.migrationStep)) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.projection === 'ALL'
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] }),
      });
    }
    return table;
  }
}

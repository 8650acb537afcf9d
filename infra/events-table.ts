import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import * as v from 'valibot';
import { eventsTable, indexesAt, type MigrationStep, migrationSteps } from '../functions/store/events-table.ts';

/**
 * The deployment setting `eventsTableMigrationStep` (infra/deployment-settings.ts): where a deployed
 * table is in its move from the legacy indexes to the current ones, one index change per deploy.
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
   * Where a deployed table is in its migration from the legacy indexes (events-table.ts
   * `indexesAt`; the `eventsTableMigrationStep` setting). Default: none, the current design.
   */
  readonly migrationStep?: MigrationStep;
  /** Properties over the receiver's, such as a name or a KMS key. Default: none. */
  readonly overrides?: EventsTableOverrides;
}

/**
 * The events table as functions/store/events-table.ts designs it: on-demand, point-in-time
 * recovery, TTL, the stream (new images) for its consumers, retained when the stack goes and
 * protected from deletion.
 */
export class EventsTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: EventsTableProps = {}) {
    super(scope, id);
    if (props.migrationStep !== undefined && !migrationSteps.includes(props.migrationStep)) {
      throw new TypeError(`EventsTable: migrationStep must be one of ${migrationSteps.join(', ')}`);
    }
    // `Default` keeps the table's logical id what it was before this construct: a new id would
    // make CloudFormation replace the table, leaving the retained old one, and its events, behind.
    this.table = new dynamodb.Table(this, 'Default', {
      partitionKey: { name: eventsTable.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: eventsTable.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[eventsTable.stream],
      // The events are the record of what happened; they outlive the stack, and no delete-table
      // call (a console click, a script) removes them until the protection is switched off first.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      ...props.overrides,
    });
    for (const index of indexesAt(props.migrationStep)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.projection === 'ALL'
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] }),
      });
    }
  }
}

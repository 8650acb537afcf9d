import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { CALLBACK_METHOD, CALLBACK_PATH } from '../functions/callback/callback-event.ts';
import { settingsToEnvironment, type Settings } from '../functions/settings.ts';
import { eventsTable } from '../functions/store/events-table.ts';
import { CallbackFunction } from './callback-function.ts';

export interface CallbackStackProps extends StackProps {
  /** The validated settings (functions/settings.ts), handed to the function as environment variables. */
  readonly settings: Settings;
}

/**
 * API Gateway (HTTP API) -> callback function -> events table. Environment-agnostic: no lookups, so
 * `cdk synth` runs offline without credentials.
 */
export class CallbackStack extends Stack {
  constructor(scope: Construct, id: string, props: CallbackStackProps) {
    super(scope, id, props);

    const table = createEventsTable(this);

    const callback = new CallbackFunction(this, 'Callback', {
      environment: { EVENTS_TABLE_NAME: table.tableName, ...settingsToEnvironment(props.settings) },
    });
    // The handler only ever writes one event with a condition; it never reads, updates or deletes.
    // A statement of its own, not table.grant(), which would add the indexes' ARNs too.
    callback.function.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }));

    const api = new HttpApi(this, 'Api', {
      description: 'Tencent Cloud Chat third-party callbacks',
    });
    api.addRoutes({
      path: CALLBACK_PATH,
      methods: [HttpMethod[CALLBACK_METHOD]],
      integration: new HttpLambdaIntegration('CallbackIntegration', callback.function),
    });

    new CfnOutput(this, 'CallbackUrl', {
      value: `${api.apiEndpoint}${CALLBACK_PATH}`,
      description: "Paste into the Chat console's callback URL setting",
    });
    new CfnOutput(this, 'EventsTableName', {
      value: table.tableName,
      description: 'The stored after-events: npm run events -- --table <this name>',
    });
  }
}

/** The table and its indexes as functions/store/events-table.ts designs them. */
function createEventsTable(scope: Construct): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'Events', {
    partitionKey: { name: eventsTable.partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: eventsTable.timeToLiveAttribute,
    // The events are the record of what happened; they outlive the stack.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of Object.values(eventsTable.indexes)) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

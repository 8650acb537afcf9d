import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { countersTable } from '../functions/store/counters-table.ts';
import { acknowledgeTableEncryption } from './control-tower-acknowledgements.ts';

/**
 * The counters of rate and repeat-offender rules (functions/store/counters-table.ts: one key, a TTL,
 * on-demand). Counts live minutes to a day and are worth nothing after: the table is destroyed with
 * the receiver and has no point-in-time recovery.
 */
export class PolicyCountersTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: countersTable.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: countersTable.timeToLive,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeTableEncryption(this.table);
    Validations.of(this.table).acknowledge({
      id: 'cdk-validator-cfnguard::dynamodb_table_pitr_enabled_check',
      reason:
        'Rate counters and penalties live minutes to a day and are rebuilt by the traffic itself (CT.DYNAMODB.PR.1): a restore would bring back only stale counts.',
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: 'Rate counters and penalties live minutes to a day and are rebuilt by the traffic itself: a restore would bring back only stale counts.',
    });
  }
}

/**
 * A fresh stack for one construct alone (as cdk-monitoring-constructs tests its constructs): a
 * streamed events table to consume, and the alarm defaults a receiver would resolve.
 */
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { resolveAlarmDefaults } from '../../infra/observability/alarm-defaults.ts';
import { appWithoutBundling } from '../support/stack-template.ts';

export function freshStack() {
  const stack = new Stack(appWithoutBundling(), 'Alone');
  const table = new dynamodb.Table(stack, 'Events', {
    partitionKey: { name: 'eventId', type: dynamodb.AttributeType.STRING },
    stream: dynamodb.StreamViewType.NEW_IMAGE,
  });
  return { stack, table, alarms: resolveAlarmDefaults({}, 'Alone'), logRetention: RetentionDays.ONE_MONTH };
}

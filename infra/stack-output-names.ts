/**
 * The outputs of the project's own stack (callback-stack.ts) that its commands read back from a
 * deployed stack (`npx tencent-im listen`, `doctor`: cli/stack-outputs.ts), named once for both.
 * A stack of the user's own app has the outputs it chose; the commands take names as options then.
 */
export const stackOutputNames = {
  callbackUrl: 'CallbackUrl',
  callbackTokenSecret: 'CallbackTokenSecret',
  eventsTableName: 'EventsTableName',
  /** The table of the second key design, until retired: what `npm run events -- --migrate --stack` copies from. */
  oldEventsTableName: 'OldEventsTableName',
  eventBusName: 'EventBusName',
  alarmNamePrefix: 'AlarmNamePrefix',
  metricsNamespace: 'MetricsNamespace',
  fallbackQueueUrl: 'FallbackQueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  fanOutFailureQueueUrl: 'FanOutFailureQueueUrl',
  stateFailureQueueUrl: 'StateFailureQueueUrl',
  tencentCredentialsSecret: 'TencentCredentialsSecret',
  tencentDomain: 'TencentDomain',
} as const;

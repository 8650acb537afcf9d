/** The stack's settings that change its resources: cdk-nag (cdk-nag.test.ts) and cfn-guard (cfn-guard.test.ts) check each. */
export const stackVariants: Array<[string, Record<string, unknown>]> = [
  ['the defaults (a token secret the stack creates)', {}],
  ['unsigned callbacks (the opt-out)', { unsignedCallbacks: 'true' }],
  ['an existing secret by name', { tokenSecret: 'prod/im-callback-token' }],
  ['an existing secret by ARN', { tokenSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/im-callback-token-AbCdEf' }],
  ['reserved concurrency', { reservedConcurrency: '5' }],
  ['alarms mailed through the SNS topic', { alarmEmail: 'ops@example.com' }],
  ['tracing off', { tracing: 'false' }],
  [
    'production in view: a canary, silence alarms, a reconciliation',
    {
      reconcile: '{"groups":["@TGS#1"]}',
      canary: '{"group":"@TGS#canary"}',
      tencentCredentialsSecret: 'tencent/im-admin',
      tencentDomain: 'singapore',
      expectedCommands: '{"Group.CallbackAfterSendMsg":"15m"}',
    },
  ],
];

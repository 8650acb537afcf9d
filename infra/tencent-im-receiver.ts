import { Annotations, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CALLBACK_METHOD, CALLBACK_PATH, PROBE_METHODS } from '../functions/callback/callback-event.ts';
import type { CallbackEnvironment } from '../functions/shared/function-environment.ts';
import { SettingsError, settingsToEnvironment, settingVariables } from '../functions/shared/settings.ts';
import { CallbackObservability } from './callback-observability.ts';
import { createCallbackTokenSecret } from './callback-token-secret.ts';
import { ReceiverCanary } from './canary.ts';
import { acknowledgeLogGroup, acknowledgeOpenCallbackRoute, acknowledgeTableEncryption, callbackAuthentication } from './control-tower-acknowledgements.ts';
import { CREATE_TOKEN_SECRET } from './deployment-settings.ts';
import { EventFallbackQueue } from './event-fallback-queue.ts';
import { EventFanOut } from './event-fan-out.ts';
import { EventsTable, eventWriterActions } from './events-table.ts';
import { keepLogicalId } from './logical-ids.ts';
import { resolveAlarmDefaults } from './observability/alarm-defaults.ts';
import { policyWidgets } from './observability/policy-widgets.ts';
import { SilenceAlarms } from './observability/silence-alarms.ts';
import { eventPattern, type OnEventOptions } from './on-event.ts';
import { PolicyConfig } from './policy-config.ts';
import { PolicyCountersTable } from './policy-counters.ts';
import { PolicyLayer } from './policy-layer.ts';
import { ReceiverFunction } from './receiver-function.ts';
import { type ResolvedReceiverProps, resolveReceiverProps, type TencentImReceiverProps } from './receiver-props.ts';
import { ReceiverReconcile } from './reconcile.ts';
import { SyncedState } from './synced-state.ts';

/** One JSON line per request. No query string: with a token set, it carries the Sign. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    error: '$context.error.message',
  }),
);

/** The commands a rule matches, for its description (CloudFormation takes 512 characters). */
const commandsInWords = (commands: readonly string[] | undefined) =>
  commands === undefined ? 'every command' : commands.length <= 3 ? commands.join(', ') : `${commands.length} commands`;

/**
 * The default alarm name prefix: the stack's name, then the receiver's path in the stack (`Default`
 * left out, as CDK leaves it out of logical ids), so two receivers in a stack, or in an account, do
 * not share alarm or dashboard names.
 */
function defaultNamePrefix(scope: Construct): string {
  const stack = Stack.of(scope);
  const { scopes } = scope.node;
  const path = scopes.slice(scopes.indexOf(stack) + 1).map((each) => each.node.id);
  return [stack.stackName, ...path.filter((id) => id !== 'Default')].join('-').replace(/[^\w-]/g, '-');
}

/**
 * The receiving end of Tencent Cloud Chat (IM) callbacks, as one construct for your own CDK app:
 * an HTTP API → the callback function (signature, policy, routing by command) → a DynamoDB events
 * table, exactly once, with an SQS fallback and its drain; the table's stream → an EventBridge bus
 * (`onEvent`) and a synced view of groups, members and users; a dashboard, saved queries and alarms.
 *
 *   const im = new TencentImReceiver(this, 'Im', { sdkAppIds: ['1400123456'] });
 *   im.onEvent('GroupMessages', { commands: ['Group.CallbackAfterSendMsg'], target: new LambdaFunction(fn) });
 *   new CfnOutput(this, 'CallbackUrl', { value: im.callbackUrl });
 *
 * Props are checked all at once (receiver-props.ts); several receivers fit in one stack. docs/construct.md.
 */
export class TencentImReceiver extends Construct {
  /** The HTTP API Tencent calls. */
  readonly api: HttpApi;
  /** The URL to paste into the Chat console's callback setting. */
  readonly callbackUrl: string;
  /** The function behind the API. */
  readonly callbackFunction: lambda.Function;
  /** The callback function's log group: one record per callback. */
  readonly callbackLogGroup: logs.ILogGroup;
  /** Where the stored after-events are. */
  readonly eventsTable: dynamodb.ITable;
  /**
   * The deployed table of the second key design, kept until `retireEventsTable`: what
   * `npm run events -- --migrate` copies from (docs/key-design.md#moving-a-deployed-table). None once
   * retired, nor with `existingEventsTable`.
   */
  readonly previousEventsTable?: dynamodb.ITable;
  /** The secret holding the callback token; none with `unsignedCallbacks`. */
  readonly callbackToken?: secretsmanager.ISecret;
  /** Where every stored after-event is published (source `tencent.im`); none with `fanOut: false`. */
  readonly eventBus?: events.IEventBus;
  /** The synced view's table; none with `syncedState: false`. */
  readonly stateTable?: dynamodb.ITable;
  /** After-events the table could not take in time wait here for the drain. */
  readonly fallbackQueue: sqs.IQueue;
  /** The last stops, kept 14 days for a person (each alarmed): the fallback's dead letters, and the stream consumers' failures. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly fanOutFailureQueue?: sqs.IQueue;
  readonly stateFailureQueue?: sqs.IQueue;
  /** Every alarm of the receiver, each sent to the alarm action. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** What every alarm's name starts with (`alarms.namePrefix`, or its default): `npx tencent-im doctor` finds them by it. */
  readonly alarmNamePrefix: string;
  /** The topic the alarms go to, unless `alarms.action` named another. */
  readonly alarmTopic?: sns.ITopic;
  readonly dashboard: cloudwatch.Dashboard;
  /** Where rate and repeat-offender rules count (docs/policy.md#rate-rules). */
  readonly policyCountersTable: dynamodb.ITable;
  /** The policy's AppConfig application, environment and profile, and its validator; none with `policyFromAppConfig: false`. */
  readonly policyConfig?: PolicyConfig;
  /** The SDKAppIDs accepted, as the props gave them. */
  readonly sdkAppIds: readonly string[];
  /** The canary's function, schedule and alarms; none without `canary`. */
  readonly canary?: ReceiverCanary;
  /** An alarm per command of `expectedCommands`; none without it. */
  readonly silenceAlarms?: SilenceAlarms;
  /** The reconciliation's function, schedule and alarm; none without `reconcile`. */
  readonly reconcile?: ReceiverReconcile;

  constructor(scope: Construct, id: string, props: TencentImReceiverProps) {
    super(scope, id);
    const settings = resolveReceiverProps(this.node.path, props);
    this.sdkAppIds = settings.sdkAppIds;
    const alarms = resolveAlarmDefaults(settings.alarms, defaultNamePrefix(this));
    this.alarmNamePrefix = alarms.namePrefix;

    const tables = this.#eventsTables(settings);
    this.eventsTable = tables.table;
    this.previousEventsTable = tables.deployedTable;
    this.callbackToken = settings.unsignedCallbacks
      ? undefined
      : settings.callbackToken === CREATE_TOKEN_SECRET
        ? createCallbackTokenSecret(this)
        : settings.callbackToken;
    const signed = this.callbackToken !== undefined;
    if (!signed) {
      Annotations.of(this).addWarning(
        'unsignedCallbacks=true: no callback token, so only the SDKAppID is checked and anyone who learns the callback URL can post events; drop the setting to deploy with a token.',
      );
    }

    const fallback = new EventFallbackQueue(this, 'Fallback', {
      table: this.eventsTable,
      tracing: settings.tracing,
      alarms,
      logRetention: settings.logRetention,
    });
    this.fallbackQueue = fallback.queue;
    this.deadLetterQueue = fallback.deadLetterQueue;
    // The fallback's alarms keep the logical ids they had when CallbackObservability made them
    // (`Observability/<name>`): a new id with the same alarm name would be created (PutMetricAlarm
    // overwrites) and then deleted by name with the old one, leaving no alarm.
    const [backlog, deadLetters] = fallback.alarms as [cloudwatch.Alarm, cloudwatch.Alarm];
    keepLogicalId(backlog.node.defaultChild as cloudwatch.CfnAlarm, this, 'Observability', 'FallbackBacklog', 'Resource');
    keepLogicalId(deadLetters.node.defaultChild as cloudwatch.CfnAlarm, this, 'Observability', 'DeadLetters', 'Resource');

    const policy = new PolicyLayer(this, 'Policy', { policy: settings.policy });
    this.policyCountersTable = new PolicyCountersTable(this, 'PolicyCounters').table;
    const environment: Record<string, string> & CallbackEnvironment = {
      EVENTS_TABLE_NAME: this.eventsTable.tableName,
      FALLBACK_QUEUE_URL: fallback.queue.queueUrl,
      POLICY_COUNTERS_TABLE_NAME: this.policyCountersTable.tableName,
      ...settingsToEnvironment(settings, { policy: policy.reference }),
    };
    if (this.callbackToken !== undefined) environment.IM_TOKEN_SECRET = this.callbackToken.secretArn;
    const callback = new ReceiverFunction(this, 'Callback', {
      entry: 'callback',
      environment,
      reservedConcurrency: settings.reservedConcurrency,
      tracing: settings.tracing,
      layers: [policy.layer],
      logRetention: settings.logRetention,
    });
    this.callbackFunction = callback.function;
    // The drain and the fan-out's indexer write events and their derived items: keyed by the same busy accounts (when any).
    const keyRules = settings.busyAccounts.length === 0 ? {} : { [settingVariables.busyAccounts]: environment[settingVariables.busyAccounts]! };
    for (const [name, value] of Object.entries(keyRules)) fallback.drain.function.addEnvironment(name, value);
    this.callbackLogGroup = callback.logGroup;
    this.callbackToken?.grantRead(callback.function);
    fallback.queue.grantSendMessages(callback.function);
    // The handler writes one event with a condition, and, before an event's first item on a wide
    // subject's keys, reads and updates that subject's marker (functions/store/subject-markers.ts);
    // it never deletes. A statement of its own, not table.grant(), which would add the indexes' ARNs too.
    callback.function.addToRolePolicy(new PolicyStatement({ actions: eventWriterActions, resources: [this.eventsTable.tableArn] }));
    // Rate rules count (UpdateItem), repeat rules look up and set penalties (GetItem, PutItem): nothing else.
    callback.function.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], resources: [this.policyCountersTable.tableArn] }),
    );

    this.api = this.#api(settings, callback.function, signed);
    this.callbackUrl = `${this.api.apiEndpoint}${CALLBACK_PATH}`;

    let fanOut: EventFanOut | undefined;
    if (settings.fanOut) {
      fanOut = new EventFanOut(this, 'FanOut', {
        table: this.eventsTable,
        bus: settings.eventBus,
        archiveDays: settings.fanOutArchiveDays,
        metricsNamespace: settings.metricsNamespace,
        tracing: settings.tracing,
        alarms,
        logRetention: settings.logRetention,
      });
      for (const [name, value] of Object.entries(keyRules)) fanOut.consumer.addEnvironment(name, value);
      this.eventBus = fanOut.bus;
      this.fanOutFailureQueue = fanOut.failureQueue;
    }
    let state: SyncedState | undefined;
    if (settings.syncedState) {
      // The synced view, fed by the events table's stream: off the callback's path.
      state = new SyncedState(this, 'State', { eventsTable: this.eventsTable, tracing: settings.tracing, alarms, logRetention: settings.logRetention });
      this.stateTable = state.table;
      this.stateFailureQueue = state.failures;
    }

    if (settings.canary !== undefined && settings.tencentApi !== undefined) {
      this.canary = new ReceiverCanary(this, 'Canary', {
        eventsTable: this.eventsTable,
        settings: settings.canary,
        tencentApi: settings.tencentApi,
        metricsNamespace: settings.metricsNamespace,
        alarms,
        logRetention: settings.logRetention,
        tracing: settings.tracing,
      });
    }

    if (settings.reconcile !== undefined && settings.tencentApi !== undefined && state !== undefined) {
      this.reconcile = new ReceiverReconcile(this, 'Reconcile', {
        stateTable: state.table,
        settings: settings.reconcile,
        tencentApi: settings.tencentApi,
        metricsNamespace: settings.metricsNamespace,
        alarms,
        logRetention: settings.logRetention,
        tracing: settings.tracing,
      });
    }
    if (settings.expectedCommands !== undefined) {
      this.silenceAlarms = new SilenceAlarms(this, 'Silence', {
        expected: settings.expectedCommands,
        metricsNamespace: settings.metricsNamespace,
        logGroup: callback.logGroup,
        alarms,
      });
    }

    const observability = new CallbackObservability(this, 'Observability', {
      function: callback.function,
      logGroup: callback.logGroup,
      api: this.api,
      table: this.eventsTable,
      metricsNamespace: settings.metricsNamespace,
      latencyAlarmMs: settings.latencyAlarmMs,
      alarms,
      alarmActions: settings.alarms,
      otherAlarms: [
        ...fallback.alarms,
        ...(fanOut?.alarms ?? []),
        ...(state?.alarms ?? []),
        ...(this.canary?.alarms ?? []),
        ...(this.silenceAlarms?.alarms ?? []),
        ...(this.reconcile?.alarms ?? []),
      ],
      widgets: [policyWidgets(settings.metricsNamespace), fanOut?.widgets, this.canary?.widgets, this.silenceAlarms?.widgets, this.reconcile?.widgets].filter(
        (row) => row !== undefined,
      ),
    });
    this.alarms = observability.alarms;
    this.alarmTopic = observability.alarmTopic;
    this.dashboard = observability.dashboard;

    if (settings.policyFromAppConfig) {
      this.policyConfig = new PolicyConfig(this, 'PolicyConfig', {
        policy: settings.policy,
        settings,
        callbackFunction: callback.function,
        rollbackAlarm: observability.node.findChild('FunctionErrors') as cloudwatch.IAlarm,
        tracing: settings.tracing,
        logRetention: settings.logRetention,
      });
    }
  }

  /**
   * A rule on the receiver's bus for its after-events, as `bucket.onCloudTrailEvent` makes one for a
   * bucket: source `tencent.im`, the receiver's SDKAppIDs, and the commands asked for (all of them
   * when none are named). A command that is not a registered after-command fails synth, naming the
   * one meant. Handlers type the event with `ReceivedEvent<'Group.CallbackAfterSendMsg'>`.
   */
  onEvent(id: string, options: OnEventOptions = {}): events.Rule {
    if (this.eventBus === undefined) throw new SettingsError(`${this.node.path}.onEvent('${id}'): the receiver publishes no events (fanOut: false)`);
    const rule = new events.Rule(this, id, {
      eventBus: this.eventBus,
      description: options.description ?? `Tencent IM after-events of ${this.node.path}: ${commandsInWords(options.commands)}`,
      ruleName: options.ruleName,
      eventPattern: eventPattern(`${this.node.path}.onEvent('${id}')`, this.sdkAppIds, options.commands),
      enabled: options.enabled,
    });
    if (options.target !== undefined) rule.addTarget(options.target);
    return rule;
  }

  #eventsTables(settings: ResolvedReceiverProps): { table: dynamodb.ITable; deployedTable?: dynamodb.ITable } {
    if (settings.existingEventsTable !== undefined) return { table: settings.existingEventsTable };
    const { table, deployedTable } = new EventsTable(this, 'Events', {
      migrationStep: settings.eventsTableMigrationStep,
      retireDeployedTable: settings.retireEventsTable,
      overrides: settings.eventsTableProps,
    });
    acknowledgeTableEncryption(table);
    if (deployedTable !== undefined) acknowledgeTableEncryption(deployedTable);
    return { table, deployedTable };
  }

  #api(settings: ResolvedReceiverProps, fn: lambda.IFunction, signed: boolean): HttpApi {
    const api = new HttpApi(this, 'Api', { description: 'Tencent Cloud Chat third-party callbacks', createDefaultStage: false });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: settings.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    acknowledgeLogGroup(accessLogs);
    // Throttled at the stage so a flood is turned away before it reaches (and is billed as) Lambda.
    api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });
    // POST for Tencent's callbacks; GET and HEAD too, for the console's URL check, whose method no page
    // documents (docs/protocol.md#console-probe): the function answers them as probes, nothing else.
    const routes = api.addRoutes({
      path: CALLBACK_PATH,
      methods: ([CALLBACK_METHOD, ...PROBE_METHODS] as const).map((method) => HttpMethod[method]),
      integration: new HttpLambdaIntegration('CallbackIntegration', fn),
    });
    for (const route of routes) {
      acknowledgeOpenCallbackRoute(route, signed);
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Tencent Cloud Chat posts callbacks with no Authorization header and cannot be made to send one, so no API Gateway authorizer could pass them. ' +
          callbackAuthentication(signed),
      });
    }
    return api;
  }
}

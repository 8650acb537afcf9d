/**
 * Silence alarms (docs/production.md#silence): an alarm per expected command when it has not been
 * heard for its window, with missing data counted as silence, and the dashboard's last-seen table.
 * Tencent's callback configuration lives in its console, so a switch turned off, a URL or a token
 * changed stops the flow without a single error here: only the absence of callbacks shows it.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { callbackMetrics, recordFields as f, heardOutcomes, SERVICE_DIMENSION, SERVICE_NAME } from '../../functions/callback/metric-names.ts';
import { commandDefinition } from '../../functions/commands/registry.ts';
import type { ExpectedCommands } from '../production-settings.ts';
import { type ResolvedAlarmDefaults, runbookEntry } from './alarm-defaults.ts';
import { CALLBACK_RECORDS } from './saved-queries.ts';

export interface SilenceAlarmsProps {
  /** Each command, and how long it may go unheard. Required. */
  readonly expected: ExpectedCommands;
  /** The namespace of the callback function's metrics: setting `metricsNamespace`. Required. */
  readonly metricsNamespace: string;
  /** The callback records, for the last-seen table. Required. */
  readonly logGroup: logs.ILogGroup;
  /** The receiver's alarm defaults: the name prefix; the period is each command's window. Required. */
  readonly alarms: ResolvedAlarmDefaults;
}

/** The runbook entry every silence alarm cites: one, since they differ only by command. */
export const SILENCE_ALARM = 'Silence';

/** A command in a construct id: letters and digits. */
const idOf = (command: string) => command.replace(/[^A-Za-z0-9]/g, '');

export class SilenceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];
  readonly widgets: cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: SilenceAlarmsProps) {
    super(scope, id);
    const { expected, metricsNamespace: namespace, alarms: defaults } = props;
    this.alarms = Object.entries(expected).map(([command, window]) => {
      const outcomes = heardOutcomes[commandDefinition(command).kind];
      const usingMetrics = Object.fromEntries(
        outcomes.map((outcome, index) => [
          `m${index}`,
          new cloudwatch.Metric({
            namespace,
            metricName: callbackMetrics.callbacks.name,
            // The exact dimension set the function emits (metric-names.ts): command and outcome, and service.
            dimensionsMap: { command, outcome, [SERVICE_DIMENSION]: SERVICE_NAME },
            statistic: cloudwatch.Stats.SUM,
            period: window,
          }),
        ]),
      );
      // FILL: an outcome that did not happen is 0, not a gap that would hide the others.
      const heard = new cloudwatch.MathExpression({
        expression: `SUM([${Object.keys(usingMetrics)
          .map((name) => `FILL(${name}, 0)`)
          .join(', ')}])`,
        usingMetrics,
        period: window,
        label: `${command} heard`,
      });
      return new cloudwatch.Alarm(this, idOf(command), {
        alarmName: `${defaults.namePrefix}-${SILENCE_ALARM}-${command}`,
        metric: heard,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No callbacks is the news this alarm is for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        alarmDescription:
          `No ${command} was heard for ${window.toHumanString()} (expectedCommands), counting ${outcomes.join(', ')} and not rejections: ` +
          "Tencent stopped calling, or calls with a token or SDKAppID the receiver refuses. Check the Chat console's callback switch, URL and token. " +
          `Runbook: ${runbookEntry(SILENCE_ALARM)}`,
      });
    });
    const commands = Object.keys(expected);
    const refused = ['rejected', 'failed'];
    this.widgets = [
      new cloudwatch.LogQueryWidget({
        title: 'Expected commands: last heard (a command not listed was not heard in the range)',
        width: 24,
        height: Math.min(12, 3 + commands.length),
        logGroupNames: [props.logGroup.logGroupName],
        queryLines: [
          `fields @timestamp, ${f.command}`,
          `filter ${CALLBACK_RECORDS} and ${f.command} in ${JSON.stringify(commands)} and ${f.outcome} not in ${JSON.stringify(refused)}`,
          `stats max(@timestamp) as lastHeard, count(*) as heard by ${f.command}`,
          'sort lastHeard asc',
        ],
      }),
    ];
  }
}

import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CALLBACK_RECORD_MESSAGE, recordFields as f } from '../../functions/callback/metric-names.ts';

/** What every callback record's line carries (functions/callback/record-line.ts), and a line of metrics alone does not. */
export const CALLBACK_RECORDS = `message = "${CALLBACK_RECORD_MESSAGE}"`;

/** The saved queries' names, under the `namePrefix` folder: the alarms' descriptions point to them. */
export const savedQueryNames = {
  groupEvents: "One group's events",
  refusals: 'Refusals',
  rejections: 'Rejections and failures',
  slowest: 'Slowest callbacks',
  commandOverTime: 'One command over time',
} as const;

/**
 * The questions asked of the callback records most often, saved in Logs Insights under the
 * `namePrefix` folder. The record's line holds its fields at the top level of its JSON (record-line.ts),
 * so Logs Insights sees `outcome`, `groupId`, `durationMs`… as fields. REPLACE_WITH_… marks
 * what to fill in before running.
 */
export function createSavedQueries(scope: Construct, logGroup: logs.ILogGroup, namePrefix: string): logs.QueryDefinition[] {
  const query = (id: string, name: keyof typeof savedQueryNames, queryString: logs.QueryStringProps) =>
    new logs.QueryDefinition(scope, id, {
      queryDefinitionName: `${namePrefix}/${savedQueryNames[name]}`,
      queryString: new logs.QueryString(queryString),
      logGroups: [logGroup],
    });

  return [
    query('GroupEventsQuery', 'groupEvents', {
      fields: ['@timestamp', f.command, f.outcome, f.status, f.eventId, f.topicId, f.user, f.durationMs],
      filterStatements: [CALLBACK_RECORDS, `${f.groupId} = "REPLACE_WITH_GROUP_ID"`],
      sort: '@timestamp desc',
      limit: 1_000,
    }),
    query('RefusalsQuery', 'refusals', {
      // Every decision but allow: refused, dropped, masked, some members refused; with the rule that made it.
      fields: ['@timestamp', f.outcome, f.code, f.rule, f.command, f.user, f.groupId, f.topicId, f.sdkAppId],
      filterStatements: [CALLBACK_RECORDS, `${f.outcome} in ["refused", "dropped", "rewritten", "members-refused"]`],
      sort: '@timestamp desc',
      limit: 1_000,
    }),
    query('RejectionsQuery', 'rejections', {
      filterStatements: [CALLBACK_RECORDS, `${f.outcome} in ["rejected", "failed"]`],
      statsStatements: [
        `count(*) as callbacks, latest(${f.status}) as lastStatus, latest(${f.clientIp}) as lastClientIp, latest(${f.error}.message) as lastError by ${f.outcome}, ${f.reason}`,
      ],
      sort: 'callbacks desc',
    }),
    query('SlowestQuery', 'slowest', {
      fields: ['@timestamp', f.durationMs, f.command, f.kind, f.outcome, f.coldStart, f.groupId, f.requestId],
      filterStatements: [CALLBACK_RECORDS],
      sort: `${f.durationMs} desc`,
      limit: 50,
    }),
    query('CommandOverTimeQuery', 'commandOverTime', {
      filterStatements: [CALLBACK_RECORDS, `${f.command} = "REPLACE_WITH_COMMAND"`],
      statsStatements: [`count(*) as callbacks, pct(${f.durationMs}, 99) as p99Ms by bin(5m), ${f.outcome}`],
    }),
  ];
}

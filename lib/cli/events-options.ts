import * as v from 'valibot';
import { parseArgs } from 'node:util';
import { sdkAppId } from '../../functions/settings.ts';

export const EventsOptionsSchema = v.object({
  /** Only this group's events (the byGroup index). */
  group: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** Only this command's events (the byCommand index). */
  command: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** How many events, newest first. Default: 20. */
  limit: v.optional(v.pipe(v.string(), v.digits('must be a whole number'), v.toNumber(), v.minValue(1), v.maxValue(10_000)), '20'),
  /** One JSON object per line instead of a table. */
  json: v.optional(v.boolean(), false),
  /** Read a deployed table (the stack's EventsTableName output) with your AWS credentials. */
  table: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** The deployed table's region. Default: the AWS SDK's (AWS_REGION, your profile). */
  region: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** Only this SDKAppID. Default: every configured one. */
  app: v.optional(sdkAppId),
});

export type EventsOptions = v.InferOutput<typeof EventsOptionsSchema>;

export const eventsUsage = `Usage: npm run events -- [--group ID] [--command NAME] [--limit N] [--json] [--table NAME [--region R]] [--app SDKAPPID]

Lists stored events, newest first. Reads the local store (npm start's) unless --table names a deployed one.`;

export function parseEventsOptions(args: string[]): EventsOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      group: { type: 'string' },
      command: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      table: { type: 'string' },
      region: { type: 'string' },
      app: { type: 'string' },
    },
  });
  const result = v.safeParse(EventsOptionsSchema, values);
  if (result.success) return result.output;
  throw new Error(result.issues.map((issue) => `--${v.getDotPath(issue)}: ${issue.message}`).join('\n'));
}

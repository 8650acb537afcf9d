import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/settings.ts';
import { OptionsError } from './command.ts';

const name = v.pipe(v.string(), v.nonEmpty());

export const StateOptionsSchema = v.pipe(
  v.object({
    /** One group's state. */
    group: v.optional(name),
    /** One live room's state: its group's view, with the room's admins and seats (docs/synced-view.md#live-rooms). */
    room: v.optional(name),
    /** One user's presence. */
    user: v.optional(name),
    /** Recompute the whole view from the stored events. */
    rebuild: v.optional(v.boolean(), false),
    /** Only this SDKAppID. Default: every configured one (the first that has the group or user). */
    app: v.optional(sdkAppId),
    /** The object itself, as JSON, instead of a summary for people. */
    json: v.optional(v.boolean(), false),
    /** Read a deployed state table (the stack's StateTableName output) with your AWS credentials. */
    table: v.optional(name),
    /** With --table and --rebuild: the deployed events table (the stack's EventsTableName output). */
    eventsTable: v.optional(name),
    /** The deployed tables' region. Default: the AWS SDK's. */
    region: v.optional(name),
  }),
  v.check(
    (options) => [options.group, options.room, options.user, options.rebuild || undefined].filter((given) => given !== undefined).length === 1,
    'give one of --group, --room, --user or --rebuild',
  ),
  v.check(
    (options) => !(options.rebuild && options.table !== undefined && options.eventsTable === undefined),
    '--rebuild with --table needs --events-table too',
  ),
);

export type StateOptions = v.InferOutput<typeof StateOptionsSchema>;

export const stateUsage = `Usage: npx tencent-im state --group ID [--app SDKAPPID] [--json] [--table NAME [--region R]]
       npx tencent-im state --room ID [--app SDKAPPID] [--json] [--table NAME [--region R]]
       npx tencent-im state --user ACCOUNT [--app SDKAPPID] [--json] [--table NAME [--region R]]
       npx tencent-im state --rebuild [--app SDKAPPID] [--table NAME --events-table NAME [--region R]]
       (or npm run state -- …, with the -- before the options)

Shows the synced view of a group, a live room or a user, from the local store (npm start's) unless --table names a
deployed state table; --rebuild recomputes it from the stored events.`;

export function parseStateOptions(args: string[]): StateOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      group: { type: 'string' },
      room: { type: 'string' },
      user: { type: 'string' },
      rebuild: { type: 'boolean' },
      app: { type: 'string' },
      json: { type: 'boolean' },
      table: { type: 'string' },
      'events-table': { type: 'string' },
      region: { type: 'string' },
    },
  });
  const { 'events-table': eventsTable, ...rest } = values;
  const result = v.safeParse(StateOptionsSchema, { ...rest, ...(eventsTable === undefined ? {} : { eventsTable }) });
  if (result.success) return result.output;
  throw new OptionsError(result.issues.map((issue) => (v.getDotPath(issue) ? `--${v.getDotPath(issue)}: ${issue.message}` : issue.message)).join('\n'));
}

import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/settings.ts';
import { MAX_SEGMENTS } from '../functions/store/migrate-events.ts';
import { OptionsError } from './command.ts';
import { stackOptionSpecs, stackOptionsHelp } from './stack-options.ts';
import { parseTimeOption, TIME_HELP } from './time-option.ts';

const time = (now: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const parsed = parseTimeOption(dataset.value, now);
        if (typeof parsed === 'number') return parsed;
        addIssue({ message: parsed });
        return NEVER;
      }),
    ),
  );

/** What `--export` writes: JSON lines (as --json), or an HTTP Archive of the callbacks (local/inspector/har.ts). */
export const exportFormats = ['jsonl', 'har'] as const;

/** Options that make no sense together, with why. */
const conflicts: readonly (readonly [string, string, string])[] = [
  ['follow', 'since', 'prints new events only: list earlier ones without --follow'],
  ['follow', 'until', 'prints new events only'],
  ['follow', 'limit', 'prints every new event'],
  ['follow', 'table', 'follows the npm start on DATA_DIR; a deployed table has no such feed'],
  ['follow', 'backfill', 'lists, --backfill updates'],
  ['follow', 'export', 'prints as it goes: --json gives JSON lines'],
  ['export', 'json', 'jsonl is JSON lines already'],
  ['export', 'backfill', 'lists, --backfill updates'],
  ['migrate', 'follow', 'copies a deployed table, --follow lists the local store'],
  ['migrate', 'backfill', 'copies into the third design, --backfill updates the second'],
  ['migrate', 'export', 'copies, --export lists'],
  ['migrate', 'table', 'reads --from and writes --to'],
  ['stack', 'table', 'reads the table the stack names'],
  ['stack', 'from', 'names both tables'],
  ['stack', 'to', 'names both tables'],
  ['stack', 'follow', 'is for a deployed stack; --follow follows npm start'],
  ['stack', 'backfill', "names the third design's table; --backfill updates the second's, named with --table"],
  ['reindex', 'follow', 'writes index items, --follow lists'],
  ['reindex', 'backfill', 'indexes the third design, --backfill the second'],
  ['reindex', 'migrate', 'the copy indexes what it copies'],
  ['reindex', 'export', 'writes index items, --export lists'],
];

/** Options of --migrate alone. */
const migrateOnly = ['from', 'to', 'segments'] as const;
/** Options of a listing, which --migrate does not take (nor --reindex, but for its window). */
const listingOnly = ['group', 'command', 'user', 'since', 'until', 'limit', 'json', 'app'] as const;

const optionsSchema = (now: number) =>
  v.pipe(
    v.object({
      /** Only this group's events. */
      group: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** Only this command's events. */
      command: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** Only the events by or about this account (a message's sender, a login's account). */
      user: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** Only events at or after this time. */
      since: time(now),
      /** Only events before this time. */
      until: time(now),
      /** How many events, newest first: a whole number, or `all`. Default: 20. No ceiling: they are streamed. */
      limit: v.optional(
        v.union(
          [
            v.pipe(
              v.literal('all'),
              v.transform(() => Number.POSITIVE_INFINITY),
            ),
            v.pipe(v.string(), v.digits('must be a whole number or "all"'), v.toNumber(), v.minValue(1), v.safeInteger()),
          ],
          'must be a whole number or "all"',
        ),
        '20',
      ),
      /** One JSON object per line instead of a table. */
      json: v.optional(v.boolean(), false),
      /** Read a deployed table (the stack's EventsTableName output) with your AWS credentials. */
      table: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** The deployed table's region. Default: the AWS SDK's (AWS_REGION, your profile). */
      region: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** Only this SDKAppID. Default: every configured one. */
      app: v.optional(sdkAppId),
      /** Adds the current index keys to events stored before the key design changed, instead of listing. */
      backfill: v.optional(v.boolean(), false),
      /** Copies the events of a deployed table of the second key design (--from) into the third's (--to), resumably. */
      migrate: v.optional(v.boolean()),
      /** --migrate: the table of the second key design (the stack's OldEventsTableName output). */
      from: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** --migrate: the table of the third (the stack's EventsTableName output). */
      to: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** --migrate: Scan segments read side by side by a new copy. Default: migrate-events.ts DEFAULT_SEGMENTS. */
      segments: v.optional(
        v.pipe(
          v.string(),
          v.digits('must be a whole number'),
          v.toNumber(),
          v.minValue(1, 'must be at least 1'),
          v.maxValue(MAX_SEGMENTS, `must be at most ${MAX_SEGMENTS}: the copy's progress item keeps each segment's place`),
        ),
      ),
      /** Runs the indexer stage again over the events that arrived between --since and --until (all without them). */
      reindex: v.optional(v.boolean()),
      /** The deployed stack whose tables to read (outputs EventsTableName, OldEventsTableName), instead of --table or --from/--to. */
      stack: v.optional(v.pipe(v.string(), v.nonEmpty())),
      /** Prints each event npm start stores from now on, as it stores it, until Ctrl-C. */
      follow: v.optional(v.boolean(), false),
      /** Writes every matching event (not 20) in a format for other tools: JSON lines, or a HAR document. */
      export: v.optional(v.picklist(exportFormats, `must be ${exportFormats.join(' or ')}`)),
    }),
    v.forward(
      v.check((options) => options.since === undefined || options.until === undefined || options.since < options.until, 'must be before --until'),
      ['since'],
    ),
  );

export type EventsOptions = v.InferOutput<ReturnType<typeof optionsSchema>>;

export const eventsUsage = `Usage: npx tencent-im events [--group ID] [--command NAME] [--user ACCOUNT] [--since TIME] [--until TIME]
                            [--limit N|all] [--json | --export jsonl|har] [--table NAME [--region R]] [--app SDKAPPID]
       npx tencent-im events --follow [--group ID] [--command NAME] [--user ACCOUNT] [--app SDKAPPID] [--json]
       npx tencent-im events --backfill [--table NAME [--region R]]
       npx tencent-im events --migrate (--from OLD --to NEW | --stack NAME) [--region R] [--segments N]
       npx tencent-im events --reindex [--since TIME] [--until TIME] [--table NAME | --stack NAME] [--region R]
       (or npm run events -- …, with the -- before the options)

Lists stored events, newest first, streamed as they are read: a table, or one JSON object per line
with --json. Reads the local store (npm start's) unless --table names a deployed one (or --stack
NAME, whose EventsTableName output does). TIME is
${TIME_HELP}. stdout holds the events alone; notes go to stderr.
--follow prints each event the running npm start stores from now on, as it stores it (Ctrl-C stops).
--export jsonl|har writes every matching event (no --limit: all of them) as JSON lines, or as an
HTTP Archive (HAR 1.2) of the callbacks, for HAR viewers and replay tools.
--backfill adds the current keys to events stored before the key design changed (docs/key-design.md#moving-a-deployed-table).
--migrate copies the events of a deployed table of the second key design into the third's, with
progress on stderr; stopped, it resumes where it stopped. Until it is done, listings of the new
table list the old events it has not reached too (docs/key-design.md#moving-a-deployed-table).
--reindex writes the pointers and digests of the events that arrived between --since and --until
again, for those a failed indexer batch left out: a Scan of the whole table (docs/key-design.md#reindex).
A deployed stack's tables (outputs EventsTableName, OldEventsTableName) are read with your AWS credentials:
${stackOptionsHelp(16)}`;

/** `now` anchors durations (`--since 1h`). */
export function parseEventsOptions(args: string[], now: number = Date.now()): EventsOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      group: { type: 'string' },
      command: { type: 'string' },
      user: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      table: { type: 'string' },
      // --stack and --region as listen and doctor take them: the stack whose outputs name the tables.
      ...stackOptionSpecs,
      app: { type: 'string' },
      backfill: { type: 'boolean' },
      follow: { type: 'boolean' },
      export: { type: 'string' },
      migrate: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      segments: { type: 'string' },
      reindex: { type: 'boolean' },
    },
  });
  for (const [first, second, why] of conflicts) {
    if (values[first as keyof typeof values] !== undefined && values[second as keyof typeof values] !== undefined) {
      throw new OptionsError(`--${first} and --${second} do not go together: --${first} ${why}`);
    }
  }
  if (values.migrate === true) {
    const listing = listingOnly.find((name) => values[name] !== undefined);
    if (listing !== undefined) throw new OptionsError(`--migrate and --${listing} do not go together: --migrate copies every event`);
    if (values.stack === undefined && (values.from === undefined || values.to === undefined)) {
      throw new OptionsError('--migrate needs --from OLD --to NEW (the tables of the second and third key designs), or --stack NAME');
    }
  } else if (values.reindex === true) {
    const listing = listingOnly.find((name) => name !== 'since' && name !== 'until' && values[name] !== undefined);
    if (listing !== undefined)
      throw new OptionsError(`--reindex and --${listing} do not go together: --reindex takes the events that arrived between --since and --until`);
  }
  if (values.migrate !== true) {
    const copyOption = migrateOnly.find((name) => values[name] !== undefined);
    if (copyOption !== undefined) throw new OptionsError(`--${copyOption} goes with --migrate`);
  }
  // An export is of every matching event unless a limit is given.
  const result = v.safeParse(optionsSchema(now), values.export !== undefined && values.limit === undefined ? { ...values, limit: 'all' } : values);
  if (result.success) return result.output;
  throw new OptionsError(result.issues.map((issue) => `--${v.getDotPath(issue)}: ${issue.message}`).join('\n'));
}

/**
 * `npx tencent-im reconcile` (`npm run reconcile --`): the synced view compared with Tencent's truth
 * and repaired (functions/reconcile/, docs/production.md#reconcile), locally against the view of
 * `npm start` (DATA_DIR) or against a deployed state table (`--table`). The report goes to stdout
 * (text, or `--json`); notes and retries to stderr. A failure is one line (cli/fail.ts).
 */
import { parseArgs } from 'node:util';
import { reconcile, reportText } from '../functions/reconcile/reconcile-run.ts';
import { stateStoreView } from '../functions/reconcile/reconcile-view.ts';
import { SettingsError } from '../functions/shared/settings.ts';
import { DynamoDbStateStore } from '../functions/synced-view/dynamodb-state-store.ts';
import { domainProblem } from '../functions/tencent/rest-domains.ts';
import { restCallsPerSecond, TencentRestError } from '../functions/tencent/rest-errors.ts';
import { CredentialsSourceError } from '../functions/tencent/tencent-credentials.ts';
import { TencentRestClient } from '../functions/tencent/tencent-rest-client.ts';
import { localSettingsFromEnvironment } from '../local/local-settings.ts';
import { LOCAL_STATE_TABLE_NAME } from '../local/local-state-table.ts';
import { adminCredentials, adminCredentialsUsage } from './admin-credentials.ts';
import { OptionsError, runCommand } from './command.ts';
import { askedSource, openStore } from './open-store.ts';

export const usage = `Usage: npx tencent-im reconcile [--group ID …] [--only-given] [--dry-run] [--json] [credentials]
                                [--domain REGION|HOST | --base-url URL] [--table NAME [--region R]]
                                [--calls-per-second N] [--max-groups N]

Compares the synced view with Tencent's truth (get_group_info, get_group_member_info) for the groups
the view holds and those given, and repairs what differs through the view's merge, stamped so that a
later real event still wins. Prints the report on stdout. Groups Tencent does not answer for in time
are reported unknown, and nothing is removed that could not be read (docs/production.md#reconcile).

  --group ID            a group to reconcile besides the view's (repeat it for more)
  --only-given          only the groups given, not the view's
  --dry-run             report, write nothing
  --json                the report as JSON
  --table NAME          a deployed state table (output StateTableName); default: npm start's view in DATA_DIR
  --region R            the table's region (default: the SDK's)
  --domain REGION|HOST  the REST domain of the app's data centre (docs/tencent-rest.md#domains); default china
  --base-url URL        another REST endpoint, e.g. a local stand-in (overrides --domain)
  --calls-per-second N  REST calls a second per API, at most (default 20; Tencent allows ${restCallsPerSecond})
  --max-groups N        groups looked at, at most (default 10000)

${adminCredentialsUsage}`;

export const expected = (error: Error) => error instanceof TencentRestError || error instanceof CredentialsSourceError || error instanceof SettingsError;

const positive = (name: string, text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new OptionsError(`--${name} ${text}: must be a whole number from 1 to ${max}`);
  return value;
};

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      group: { type: 'string', multiple: true },
      'only-given': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      table: { type: 'string' },
      region: { type: 'string' },
      domain: { type: 'string' },
      'base-url': { type: 'string' },
      'calls-per-second': { type: 'string' },
      'max-groups': { type: 'string' },
      secret: { type: 'string' },
      app: { type: 'string' },
    },
  });
  const groups = values.group ?? [];
  if (values['only-given'] && groups.length === 0) throw new OptionsError('--only-given needs at least one --group');
  if (values.domain !== undefined && domainProblem(values.domain) !== undefined)
    throw new OptionsError(`--domain ${values.domain} ${domainProblem(values.domain)}`);
  if (values['base-url'] !== undefined && !/^https?:\/\//i.test(values['base-url']))
    throw new OptionsError(`--base-url ${values['base-url']}: must be an http:// or https:// URL`);
  const callsPerSecond = positive('calls-per-second', values['calls-per-second'], 20, restCallsPerSecond);
  const maxGroups = positive('max-groups', values['max-groups'], 10_000);

  const client = new TencentRestClient({
    credentials: await adminCredentials({ secret: values.secret, app: values.app }),
    domain: values.domain,
    baseUrl: values['base-url'],
    callsPerSecond,
    settingNames: { domain: values['base-url'] === undefined ? '--domain (the data centre the SDKAppID was created in)' : '--base-url' },
    onRetry: ({ error, delayMs }) => console.error(`${error.message}; trying again in ${delayMs} ms`),
  });
  const source = await openStore(askedSource(values.table, values.region, localSettingsFromEnvironment(process.env).DATA_DIR), LOCAL_STATE_TABLE_NAME);
  try {
    const report = await reconcile({
      client,
      view: stateStoreView(new DynamoDbStateStore(source.client, source.tableName)),
      groups,
      viewGroups: !values['only-given'],
      maxGroups,
      repair: !values['dry-run'],
    });
    console.log(values.json ? JSON.stringify(report, null, 2) : reportText(report, Number.POSITIVE_INFINITY));
  } finally {
    await source.close();
  }
}

if (import.meta.main) await runCommand('reconcile', { usage, main, expected }, process.argv.slice(2));

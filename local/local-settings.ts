import * as v from 'valibot';
import { parseTokens } from '../functions/callback/callback-tokens.ts';
import { parseSettings } from '../functions/shared/settings.ts';

/** HOST's choices: this machine only (the default), or every interface, IPv4 or both. */
export const listenHosts = ['127.0.0.1', '0.0.0.0', '::'] as const;

const port = (fallback: number) =>
  v.optional(v.pipe(v.string(), v.trim(), v.digits('must be a port number'), v.toNumber(), v.integer(), v.minValue(0), v.maxValue(65_535)), String(fallback));

/**
 * Settings of `npm start` and `npm run events` alone, from environment variables. The receiver's own
 * settings (SDKAppIDs, policy, retention) are the deployment's: functions/settings.ts.
 */
export const LocalSettingsSchema = v.object({
  /** Where the callback server listens: its port on HOST. Default: 3000; 0 picks a free port. */
  PORT: port(3000),
  /**
   * The address the callback server listens on: 127.0.0.1 (this machine only), or every interface
   * (0.0.0.0, ::) for a tunnel or a machine elsewhere; the inspector answers only to 127.0.0.1 and
   * localhost whatever this is (docs/local.md#tunnels). Default: 127.0.0.1.
   */
  HOST: v.optional(v.picklist(listenHosts, `must be ${listenHosts.join(', ')}`), listenHosts[0]),
  /** Where the embedded DynamoDB-compatible store listens, for the AWS CLI or SDK. Default: 4567. */
  DYNAMODB_PORT: port(4567),
  /** A DynamoDB API to use instead of the embedded store, e.g. DynamoDB Local. Default: the embedded store. */
  DYNAMODB_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL such as http://127.0.0.1:8000'))),
  /** Where the embedded store keeps its data. Default: `.data` in the current directory. */
  DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty()), '.data'),
  /** How each callback's record is printed: `readable` (one line) or `json` (as Lambda logs it). Default: readable. */
  LOG_FORMAT: v.optional(v.picklist(['readable', 'json'], 'must be readable or json'), 'readable'),
  /**
   * Where `npm start` POSTs each stored after-event, as the event EventBridge would deliver in AWS
   * (the fan-out consumer reading the change log: local/local-stream.ts). Default: none, nothing is forwarded.
   */
  IM_FORWARD_URL: v.optional(
    v.pipe(v.string(), v.trim(), v.url('must be a URL such as http://127.0.0.1:8080/events'), v.regex(/^https?:/i, 'must be an http:// or https:// URL')),
  ),
  /**
   * The callback token(s) set in the Chat console, comma-separated while rotating; the deployment
   * keeps them in Secrets Manager instead. Default: none, so no Sign is checked (and start warns).
   */
  IM_CALLBACK_TOKEN: v.optional(
    v.pipe(
      v.string(),
      v.transform((text: string) => parseTokens(text)),
    ),
    '',
  ),
});

/** What each local-only variable is for, one line for people: the README's settings table (cli/settings-table.ts). Markdown. */
export const localSettingDescriptions = {
  PORT: 'Where the callback server listens, on `HOST`; `0` picks a free port.',
  HOST: 'The address it listens on: `127.0.0.1` (this machine only), or `0.0.0.0` / `::` (every interface, for a tunnel elsewhere: set a token too). The inspector answers only to 127.0.0.1 and localhost ([tunnels](docs/local.md#tunnels)).',
  DYNAMODB_PORT:
    "Where the embedded store's DynamoDB API listens, for the AWS CLI or SDK (`--endpoint-url http://127.0.0.1:4567`, with dummy credentials and a region: see [Try it locally](#try-it-locally)).",
  DYNAMODB_ENDPOINT: 'Use this DynamoDB API (e.g. DynamoDB Local) instead of the embedded store.',
  DATA_DIR: 'Where the embedded store, the spool and the change log keep their data (yours only: 0700, its files 0600).',
  LOG_FORMAT: '`readable` (one line per callback) or `json` (as in Lambda).',
  IM_FORWARD_URL: 'POST each stored after-event to this http(s) URL, as EventBridge would deliver it ([events flow](docs/events-flow.md#locally)).',
  IM_CALLBACK_TOKEN:
    'The callback token(s), comma-separated while rotating; the deployment keeps them in Secrets Manager instead. Without one, no `Sign` is checked and start warns.',
} as const satisfies Record<keyof typeof LocalSettingsSchema.entries, string>;

export type LocalSettings = v.InferOutput<typeof LocalSettingsSchema>;

export function localSettingsFromEnvironment(env: NodeJS.ProcessEnv): LocalSettings {
  const names = Object.keys(LocalSettingsSchema.entries);
  // An empty variable means unset, as shells use it.
  const raw = Object.fromEntries(names.map((name) => [name, env[name] || undefined]));
  return parseSettings(raw, (name) => `environment variable ${name}`, LocalSettingsSchema);
}

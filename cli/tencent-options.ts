import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/sdk-app-id.ts';
import { callbackProducts } from '../functions/tencent/callback-products.ts';
import { domainProblem, restDomains } from '../functions/tencent/rest-domains.ts';
import { credentialVariables } from '../functions/tencent/tencent-credentials.ts';
import { OptionsError } from './command.ts';

const name = v.pipe(v.string(), v.trim(), v.nonEmpty());
const httpUrl = (what: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.check((text) => /^https?:\/\//i.test(text) && URL.canParse(text), `must be an http:// or https:// URL${what}`),
  );

/** A command name as Tencent writes them, e.g. `Live.CallbackAfterCreateRoom`. */
const commandName = /^[A-Za-z]+\.Callback\w+$/;

export const TencentOptionsSchema = v.variant('action', [
  v.object({ action: v.literal('help') }),
  v.object({
    action: v.picklist(['set-callback', 'get-callback']),
    /** Live (TUILiveKit) or Call (TUICallKit). */
    product: v.picklist(Object.keys(callbackProducts) as (keyof typeof callbackProducts)[], `must be ${Object.keys(callbackProducts).join(' or ')}`),
    /** set-callback: where Tencent sends the callbacks. Tencent accepts http and https (https://trtc.io/document/64420). */
    url: v.optional(httpUrl(', where Tencent sends the callbacks')),
    /** set-callback: `all` (the product's every command) or a comma-separated list. */
    commands: v.optional(
      v.pipe(
        v.string(),
        v.transform((text) => text.split(',').map((command) => command.trim())),
        v.filterItems((command) => command !== ''),
        v.check(
          (commands) => (commands.length === 1 && commands[0] === 'all') || (commands.length > 0 && commands.every((command) => commandName.test(command))),
          'must be all, or commands separated by commas, e.g. Live.CallbackAfterCreateRoom,Live.CallbackAfterDestroyRoom',
        ),
      ),
      'all',
    ),
    /** The Secrets Manager secret (name or ARN) holding `{"sdkAppId","identifier","secretKey"}`. */
    secret: v.optional(name),
    /** The SDKAppID, with credentials from the environment; with --secret, checked against the secret's. */
    app: v.optional(sdkAppId),
    /** The REST domain: a region name or a host name. */
    domain: v.optional(
      v.pipe(
        v.string(),
        v.trim(),
        v.check((domain) => domainProblem(domain) === undefined, `must be one of ${Object.keys(restDomains).join(', ')} or a host name`),
      ),
    ),
    /** Another REST endpoint, e.g. a local stand-in. */
    baseUrl: v.optional(httpUrl('')),
  }),
]);

export type TencentOptions = v.InferOutput<typeof TencentOptionsSchema>;
export type TencentActionOptions = Exclude<TencentOptions, { action: 'help' }>;

export const tencentUsage = `Usage: npx tencent-im tencent set-callback --product live|call --url URL [--commands all|COMMAND,…] [credentials] [--domain REGION|HOST]
       npx tencent-im tencent get-callback --product live|call [credentials] [--domain REGION|HOST]
       (or npm run tencent -- …, with the -- before the options)

Sets or shows the callback URL and command list of Tencent's Live (TUILiveKit) or Call (TUICallKit)
product through Tencent's REST API (Chat's own callback URL is set in the console only). Prints the
resulting configuration as JSON on stdout ("null" when none is set); messages go to stderr.

  --product live|call   which product's callbacks
  --url URL             set-callback: where Tencent sends them (this receiver's callback URL)
  --commands all|LIST   set-callback: the commands, comma-separated; all (the default) is every
                        Live or Call command this project knows (docs/tencent-rest.md#command-lists)
  --domain REGION|HOST  the REST domain of the app's data centre, a host name or one of
                        ${Object.keys(restDomains).join(', ')}.
                        Default: china (${restDomains.china})
  --base-url URL        another REST endpoint, e.g. a local stand-in (overrides --domain)

Credentials, an App admin account of the app and its key:
  --secret NAME|ARN     a Secrets Manager secret holding {"sdkAppId","identifier","secretKey"}, read
                        with your AWS credentials (region: the ARN's, else the SDK's default)
  or, for local use only, ${credentialVariables.identifier} and ${credentialVariables.secretKey} in the environment, with
  --app SDKAPPID        the SDKAppID (default: IM_SDKAPPIDS when it holds one)`;

/** The options, or an Error whose message says what is wrong (one line per problem). */
export function parseTencentOptions(args: string[]): TencentOptions {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      product: { type: 'string' },
      url: { type: 'string' },
      commands: { type: 'string' },
      secret: { type: 'string' },
      app: { type: 'string' },
      domain: { type: 'string' },
      'base-url': { type: 'string' },
    },
  });
  if (values.help || positionals[0] === 'help') return { action: 'help' };
  if (positionals.length !== 1) throw new OptionsError('give one action: set-callback or get-callback');
  const { help: _, 'base-url': baseUrl, ...rest } = values;
  const result = v.safeParse(TencentOptionsSchema, { action: positionals[0], ...rest, ...(baseUrl === undefined ? {} : { baseUrl }) });
  if (!result.success) {
    throw new OptionsError(
      result.issues
        .map((issue) => {
          const path = v.getDotPath(issue);
          if (path === 'action') return `${JSON.stringify(positionals[0])} is not an action: give set-callback or get-callback`;
          if (!path) return issue.message;
          return `--${path.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} ${issue.input === undefined ? 'is required' : issue.message}`;
        })
        .join('\n'),
    );
  }
  const options = result.output;
  if (options.action === 'set-callback' && options.url === undefined) throw new OptionsError('set-callback needs --url, where Tencent sends the callbacks');
  if (options.action === 'get-callback' && (values.url !== undefined || values.commands !== undefined))
    throw new OptionsError('get-callback takes no --url or --commands');
  return options;
}

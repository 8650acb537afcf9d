/**
 * Where the callback tokens come from: in AWS a Secrets Manager secret, locally IM_CALLBACK_TOKEN.
 * Either holds one token, or several separated by commas while rotating.
 */
export const parseTokens = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '');

export interface RefreshingTokensOptions {
  /** Reads the secret's current value. Required. */
  readonly read: () => Promise<string>;
  /** How long tokens are served before the secret is read again, so a rotation lands. Default: 300 s. */
  readonly maxAgeSeconds?: number;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * Tokens read once, then refreshed in the background when stale: no callback ever waits on the
 * secret store after the first read (which the handler makes during the cold start). A refresh that
 * fails leaves the last tokens serving: a Secrets Manager blip should not turn every callback away.
 */
export function refreshingTokens({ read, maxAgeSeconds = 300, now = Date.now }: RefreshingTokensOptions): () => Promise<string[]> {
  let tokens: string[] | undefined;
  let readAt = 0;
  let reading: Promise<string[]> | undefined;

  function refresh(): Promise<string[]> {
    reading ??= read()
      .then((text) => {
        tokens = parseTokens(text);
        readAt = now();
        return tokens;
      })
      .finally(() => (reading = undefined));
    return reading;
  }

  return async function currentTokens() {
    if (tokens === undefined) return refresh();
    if (now() - readAt > maxAgeSeconds * 1000) refresh().catch(() => undefined);
    return tokens;
  };
}

/** The secret's value through Powertools Parameters, loaded only when a secret is configured. */
export function secretReader(secretId: string): () => Promise<string> {
  return async function readSecret() {
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    // refreshingTokens keeps its own copy and decides when to read again.
    const secret = await getSecret(secretId, { forceFetch: true });
    return typeof secret === 'string' ? secret : new TextDecoder().decode(secret);
  };
}

/**
 * Where the callback tokens come from: in AWS a Secrets Manager secret, locally IM_CALLBACK_TOKEN.
 * Either holds one token, or several separated by commas while rotating.
 */
export const parseTokens = (text: string | undefined): string[] =>
  (text ?? '').split(',').map((token) => token.trim()).filter((token) => token !== '');

export interface SecretTokensOptions {
  /** How long tokens are cached before the secret is read again, so a rotation lands. Default: 300 s. */
  readonly maxAgeSeconds?: number;
}

/**
 * Reads the secret through Powertools Parameters, which caches it; the client is only loaded when a
 * secret is configured. If a refresh fails, the last tokens read keep serving: a Secrets Manager blip
 * should not turn every callback away.
 */
export function secretTokens(secretId: string, options: SecretTokensOptions = {}): () => Promise<string[]> {
  const maxAge = options.maxAgeSeconds ?? 300;
  let lastRead: string[] | undefined;
  return async function readSecretTokens() {
    try {
      const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
      const secret = await getSecret(secretId, { maxAge });
      lastRead = parseTokens(typeof secret === 'string' ? secret : new TextDecoder().decode(secret));
    } catch (error) {
      if (lastRead === undefined) throw error;
    }
    return lastRead;
  };
}

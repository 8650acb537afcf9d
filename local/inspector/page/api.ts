import { routes, TOKEN_HEADER, TOKEN_META, TOKEN_REFUSAL } from '../routes.ts';

/**
 * The per-process token, from the page's meta tag: every sending action carries it. npm start makes
 * a new one each time it starts; a page that outlived a restart asks for the new one (refreshToken)
 * instead of failing with "reload the inspector's page".
 */
let token = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content ?? '';

/** A refusal the server sent: its sentence, and the case it names, if any. */
class Refused extends Error {
  readonly reason: string | undefined;
  constructor(message: string, reason: string | undefined) {
    super(message);
    this.reason = reason;
  }
}

async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const { error, reason } = body as { error?: string; reason?: string };
    throw new Refused(error ?? `HTTP ${response.status}`, reason);
  }
  return body as T;
}

export const getJson = async <T>(path: string): Promise<T> => read<T>(await fetch(path, { headers: { accept: 'application/json' } }));

/** Asks the server for the token of the process now running. */
export async function refreshToken(): Promise<void> {
  token = (await getJson<{ token: string }>(routes.token)).token;
}

const post = async <T>(path: string, value: unknown): Promise<T> =>
  read<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token }, body: JSON.stringify(value) }));

/** An action; refused for its token (npm start restarted since), it gets the new one and tries once more. */
export async function postJson<T>(path: string, value: unknown): Promise<T> {
  try {
    return await post<T>(path, value);
  } catch (error) {
    if (!(error instanceof Refused) || error.reason !== TOKEN_REFUSAL) throw error;
    await refreshToken();
    return post<T>(path, value);
  }
}

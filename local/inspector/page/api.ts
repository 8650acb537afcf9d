import { TOKEN_HEADER, TOKEN_META } from '../routes.ts';

/** The per-process token, from the page's meta tag: every sending action carries it. */
const token = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content ?? '';

async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (!response.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
  return body as T;
}

export const getJson = async <T>(path: string): Promise<T> => read<T>(await fetch(path, { headers: { accept: 'application/json' } }));

export const postJson = async <T>(path: string, value: unknown): Promise<T> =>
  read<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token }, body: JSON.stringify(value) }));

/**
 * `npx tencent-im listen --inspector URL`: each event listen receives from the deployed stack's bus
 * is also shown, live, on the pages of the local inspector that `npm start` serves at URL
 * (docs/production.md#listen-inspector). It posts the event as received to the inspector's route for
 * deployed events (local/inspector/routes.ts), with the inspector's per-process token, which it asks
 * the inspector for as its page does after a restart: a restart of npm start costs one refused post
 * and a retry, not a restart of listen.
 */
import { routes, TOKEN_HEADER, TOKEN_REFUSAL } from '../local/inspector/routes.ts';
import { UsageError } from './fail.ts';
import { POST_TIMEOUT_MS } from './listen-timing.ts';

export interface InspectorSender {
  /** Posts one event (the SQS message's body, as EventBridge wrote it); says in a few words what came of it. */
  send(body: string): Promise<string>;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

async function tokenOf(base: string): Promise<string> {
  const response = await fetch(new URL(routes.token, base), { signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
  const answer = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown };
  if (!response.ok || typeof answer.token !== 'string') throw new Error(`HTTP ${response.status}${typeof answer.error === 'string' ? ` ${answer.error}` : ''}`);
  return answer.token;
}

/** Finds the inspector at `base` (npm start's URL) and takes its token; fails in one line when none answers there. */
export async function connectInspector(base: string): Promise<InspectorSender> {
  let token: string;
  try {
    token = await tokenOf(base);
  } catch (error) {
    throw new UsageError(
      `--inspector ${base}: no inspector answers there (${(error as Error).message}): start npm start and give the URL its banner names (Inspector http://127.0.0.1:PORT/)`,
    );
  }
  const post = async (body: string) => {
    const response = await fetch(new URL(routes.deployed, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    return { status: response.status, answer: (await response.json().catch(() => ({}))) as { pages?: unknown; error?: unknown; reason?: unknown } };
  };
  return {
    async send(body) {
      try {
        let { status, answer } = await post(body);
        // npm start restarted since: a new process, a new token.
        if (status === 403 && answer.reason === TOKEN_REFUSAL) {
          token = await tokenOf(base);
          ({ status, answer } = await post(body));
        }
        if (status !== 200) return `refused: HTTP ${status}${typeof answer.error === 'string' ? ` ${answer.error}` : ''}`;
        const pages = typeof answer.pages === 'number' ? answer.pages : 0;
        return pages === 0 ? 'no page open: not shown' : `shown on ${plural(pages, 'page')}`;
      } catch (error) {
        return `failed: ${(error as Error).message}`;
      }
    },
  };
}

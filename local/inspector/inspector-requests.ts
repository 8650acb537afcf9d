import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_PAYLOAD_BYTES } from '../../functions/callback/callback-event.ts';
import { answerJson, refuse } from './guard.ts';

/** The synced state of a group or a user, from whoever keeps it; undefined when it has none. */
export type StateProvider = (kind: 'group' | 'user', id: string) => Promise<object | undefined>;

/** A sample's body may be as large as the receiver's own limit allows, and a little over, to see it refused. */
const MAX_ACTION_BYTES = MAX_PAYLOAD_BYTES + 1024 * 1024;

/** An action's JSON body, or why it is refused: JSON only, so a plain HTML form cannot post one; `maxBytes` at most. */
export async function readJsonBody(request: IncomingMessage, maxBytes = MAX_ACTION_BYTES): Promise<{ value: unknown } | { status: number; problem: string }> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return { status: 415, problem: 'send JSON (Content-Type: application/json)' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return { status: 413, problem: `the request is over ${maxBytes} bytes` };
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { status: 400, problem: 'the request is not valid JSON' };
  }
}

const kinds = new Set(['group', 'user']);

/** `?kind=group|user&id=…`: `{"state": …}`, or null when the provider knows nothing of it. */
export async function stateAnswer(response: ServerResponse, stateOf: StateProvider | undefined, query: URLSearchParams): Promise<void> {
  const kind = query.get('kind') ?? '';
  const id = query.get('id') ?? '';
  if (!kinds.has(kind) || id === '' || id.length > 512) return refuse(response, 400, 'ask for ?kind=group|user&id=<the id>');
  if (stateOf === undefined) return refuse(response, 404, 'no synced state is wired into this inspector');
  try {
    answerJson(response, 200, { state: (await stateOf(kind as 'group' | 'user', id)) ?? null });
  } catch (error) {
    refuse(response, 502, `the synced state could not be read: ${(error as Error).message}`);
  }
}

import type { CallbackRecord } from '../../functions/callback/callback-record.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { type LocalReceiver, type LocalReceiverOptions, startLocalReceiver } from '../../local/local-server.ts';
import { scanTable, storedEventById } from './event-stream.ts';

import { SDK_APP_ID, testSettings } from './test-settings.ts';

export { SDK_APP_ID, testSettings };

export type TestReceiver = LocalReceiver & { readonly records: CallbackRecord[] };

/**
 * The local receiver on free ports over an in-memory dynalite: real HTTP, real DynamoDB API. Its
 * callback records are kept in `records` rather than printed.
 */
export async function startTestReceiver(options: Partial<LocalReceiverOptions> = {}): Promise<TestReceiver> {
  const records: CallbackRecord[] = [];
  const receiver = await startLocalReceiver({ settings: testSettings(), port: 0, dynamodbPort: 0, log: (record) => records.push(record), ...options });
  return Object.assign(receiver, { records });
}

export interface Post {
  readonly command?: string;
  readonly body: string | Uint8Array;
  readonly sdkAppId?: string | null;
  /** Query parameters that replace the defaults of the same name in any case, in this order. */
  readonly query?: Record<string, string>;
  readonly method?: string;
  readonly path?: string;
}

/** Posts as Tencent does: the documented query parameters, a JSON body, no Content-Type. */
export async function post(receiver: LocalReceiver, request: Post) {
  const url = new URL(receiver.callbackUrl);
  if (request.path !== undefined) url.pathname = request.path;
  if (request.sdkAppId !== null) url.searchParams.set('SdkAppid', request.sdkAppId ?? SDK_APP_ID);
  if (request.command !== undefined) url.searchParams.set('CallbackCommand', request.command);
  url.searchParams.set('contenttype', 'json');
  url.searchParams.set('ClientIP', '10.1.2.3');
  url.searchParams.set('OptPlatform', 'RESTAPI');
  for (const [name, _value] of Object.entries(request.query ?? {})) {
    for (const key of [...url.searchParams.keys()]) if (key.toLowerCase() === name.toLowerCase()) url.searchParams.delete(key);
  }
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.append(name, value);
  const response = await fetch(url, {
    method: request.method ?? 'POST',
    // Bytes, not a string: fetch would add a text/plain Content-Type, and Tencent sends none.
    body: request.method === 'GET' ? undefined : typeof request.body === 'string' ? Buffer.from(request.body) : request.body,
  });
  return { status: response.status, headers: response.headers, answer: (await response.json()) as Record<string, unknown> };
}

export const storedEvents = (receiver: LocalReceiver): Promise<StoredEvent[]> => scanTable(receiver.store.client);

export const storedEvent = (receiver: LocalReceiver, eventId: string): Promise<StoredEvent | undefined> => storedEventById(receiver.store.client, eventId);

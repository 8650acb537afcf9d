import { gunzipSync, gzipSync } from 'node:zlib';
import type { StoredEvent } from './event-store.ts';

/** Bodies up to this size are kept as text: Tencent's are tens of KB. */
const INLINE_BYTES = 64 * 1024;
/**
 * What a payload and the ids beside it may take: a DynamoDB item holds 400 KB, and the event's other
 * attributes and index keys need a little of it.
 */
const MAX_STORED_BYTES = 380 * 1024;

type Payload = Pick<StoredEvent, 'payload' | 'payloadEncoding'>;

/**
 * The body as it will be stored: as received, or, when large, gzip-compressed and base64-encoded so
 * it still fits one item beside the ids the event is about, which the item keeps whole. `undefined`
 * when even that does not fit: the callback must then be refused before it is acknowledged, not
 * stored in part. (An inline body always fits: its ids are parts of it, so together they are at most
 * four times INLINE_BYTES.)
 */
export function storedPayload(rawBody: string, ids: Pick<StoredEvent, 'groupId' | 'topicId' | 'user'>): Payload | undefined {
  if (Buffer.byteLength(rawBody) <= INLINE_BYTES) return { payload: rawBody };
  const compressed = gzipSync(rawBody).toString('base64');
  const besides = [ids.groupId, ids.topicId, ids.user].reduce((sum, id) => sum + (id === undefined ? 0 : Buffer.byteLength(id)), 0);
  return compressed.length + besides <= MAX_STORED_BYTES ? { payload: compressed, payloadEncoding: 'gzip+base64' } : undefined;
}

/** The body exactly as received, whichever way it was stored. */
export const payloadText = (event: Payload): string =>
  event.payloadEncoding === 'gzip+base64' ? gunzipSync(Buffer.from(event.payload, 'base64')).toString('utf8') : event.payload;

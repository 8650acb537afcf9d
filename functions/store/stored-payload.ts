import { gunzipSync, gzipSync } from 'node:zlib';
import type { StoredEvent } from './event-store.ts';

/** Bodies up to this size are kept as text: Tencent's are tens of KB. */
const INLINE_BYTES = 64 * 1024;
/**
 * What a payload may take once encoded: a DynamoDB item holds 400 KB, and the event's other
 * attributes and index keys need a little of it.
 */
const MAX_STORED_BYTES = 380 * 1024;

type Payload = Pick<StoredEvent, 'payload' | 'payloadEncoding'>;

/**
 * The body as it will be stored: as received, or, when large, gzip-compressed and base64-encoded so
 * it still fits one item. `undefined` when even that does not fit: the callback must then be
 * refused before it is acknowledged, not stored in part.
 */
export function storedPayload(rawBody: string): Payload | undefined {
  if (Buffer.byteLength(rawBody) <= INLINE_BYTES) return { payload: rawBody };
  const compressed = gzipSync(rawBody).toString('base64');
  return compressed.length <= MAX_STORED_BYTES ? { payload: compressed, payloadEncoding: 'gzip+base64' } : undefined;
}

/** The body exactly as received, whichever way it was stored. */
export const payloadText = (event: Payload): string =>
  event.payloadEncoding === 'gzip+base64' ? gunzipSync(Buffer.from(event.payload, 'base64')).toString('utf8') : event.payload;

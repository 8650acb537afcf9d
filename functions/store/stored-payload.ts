import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import type { StoredEvent } from './event-store.ts';

/**
 * How the store keeps a body: brotli-compressed in a binary attribute (`b`, events-table.ts). A 1 KB
 * message body becomes ~420-620 bytes, so its item stays under the 1 KB of one write unit
 * (docs/key-design.md#cost). Quality 6 in text mode: ~60 µs for 1 KB; quality 11 saves ~70 bytes
 * more for 25 times the CPU.
 */
const BROTLI_QUALITY = 6;

/**
 * What a body and the ids beside it may take: a DynamoDB item holds 400 KB, and the event's other
 * attributes and keys need a little of it.
 */
export const MAX_STORED_BODY_BYTES = 380 * 1024;

export function compressBody(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/**
 * The body back, exactly as received. A stream record carries binary attributes as base64 text
 * (Lambda's event JSON); the SDK gives them as bytes.
 */
export const decompressBody = (stored: Uint8Array | string): string =>
  brotliDecompressSync(typeof stored === 'string' ? Buffer.from(stored, 'base64') : stored).toString('utf8');

/**
 * Whether a body fits one item beside the ids the event keeps whole (its groups, topic, user): the
 * callback must be refused before it is acknowledged when it does not, not stored in part. A body
 * that fits as it is needs no trial compression; only a larger one is compressed to see.
 */
export function bodyFits(text: string, ids: Pick<StoredEvent, 'groupId' | 'groupIds' | 'topicId' | 'user'>): boolean {
  // Each group once: `groupIds` holds the event's own group too, and the item writes it once (event-item.ts).
  const groups = new Set([ids.groupId, ...(ids.groupIds ?? [])]);
  const idBytes = [...groups, ids.topicId, ids.user].reduce((sum, id) => sum + (id === undefined ? 0 : Buffer.byteLength(id)), 0);
  const room = MAX_STORED_BODY_BYTES - idBytes;
  return Buffer.byteLength(text) <= room || compressBody(text).byteLength <= room;
}

/**
 * A body as the earlier designs (and older fallback messages) kept it: as text, or gzip-compressed and
 * base64-encoded above 64 KB (`payloadEncoding: 'gzip+base64'`).
 */
export function legacyPayloadText(payload: string, payloadEncoding: unknown): string {
  if (payloadEncoding === undefined) return payload;
  if (payloadEncoding === 'gzip+base64') return gunzipSync(Buffer.from(payload, 'base64')).toString('utf8');
  throw new TypeError(`unknown payloadEncoding ${JSON.stringify(payloadEncoding)}`);
}

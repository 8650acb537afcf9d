import * as v from 'valibot';
import type { EventKey, StoredEvent } from './event-store.ts';
import { StoredEventSchema } from './stored-event-schema.ts';
import { compressBody, decompressBody, legacyPayloadText } from './stored-payload.ts';

/**
 * An event as a fallback keeps it (an SQS message in AWS, a spool line locally) until the drain puts
 * it: the stored event as JSON, with the key the table's attempt computed (`storeKey`), so the drain
 * writes exactly there even if a deploy changed a definition or a setting meanwhile
 * (docs/key-design.md#exactly-once). A large body travels compressed, so a message stays well
 * inside SQS's limit. Messages kept by earlier versions (no key, gzip) are read too.
 */

/** Bodies up to this size travel as text: Tencent's are tens of KB. */
const INLINE_BYTES = 64 * 1024;

const KeptEventSchema = v.looseObject({
  ...StoredEventSchema.entries,
  payloadEncoding: v.optional(v.picklist(['gzip+base64', 'br+base64'])),
  storeKey: v.optional(v.object({ partitionKey: v.pipe(v.string(), v.nonEmpty()), sortKey: v.pipe(v.string(), v.nonEmpty()) })),
});

export function keptEventText(event: StoredEvent, key?: EventKey): string {
  const large = Buffer.byteLength(event.payload) > INLINE_BYTES;
  return JSON.stringify({
    ...event,
    ...(large ? { payload: Buffer.from(compressBody(event.payload)).toString('base64'), payloadEncoding: 'br+base64' } : {}),
    ...(key === undefined ? {} : { storeKey: { partitionKey: key.partitionKey, sortKey: key.sortKey } }),
  });
}

/** The event and its key back from a kept message; throws on a damaged one, which then fails on its own. */
export function parseKeptEvent(text: string): { readonly event: StoredEvent; readonly key?: EventKey } {
  const { payloadEncoding, storeKey, ...event } = v.parse(KeptEventSchema, JSON.parse(text));
  const payload = payloadEncoding === 'br+base64' ? decompressBody(event.payload) : legacyPayloadText(event.payload, payloadEncoding);
  return { event: { ...event, payload }, ...(storeKey === undefined ? {} : { key: storeKey }) };
}

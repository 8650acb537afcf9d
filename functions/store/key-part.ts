import { createHash } from 'node:crypto';

/**
 * The longest id one part of a key holds as itself: DynamoDB's keys take 1 KB (a sort key) to 2 KB
 * (a partition key) of UTF-8, and a key joins an id with an app id and a time or a shard. 512
 * characters are at most 1,536 bytes.
 */
export const MAX_KEY_PART_LENGTH = 512;

/**
 * An id as one part of a key. One that fits is itself; a longer one (only a hostile sender's: Tencent's
 * ids are tens of bytes) is its SHA-256 in hex, and `hashed` says so, for the key to mark it in a place
 * no id can reach, so that no id can imitate another's hash. Two ids share a hashed part only if their
 * SHA-256 collide. The id itself stays whole wherever it is not a key (the item's attributes, the
 * record, the view).
 *
 * `maxBytes` hashes an id whose UTF-8 is longer, for a key with less room: 512 characters may be
 * 1,536 bytes, more than a sort key's 1,024 (the synced view's `member#<account>`).
 */
export function keyPart(id: string, maxBytes = Number.POSITIVE_INFINITY): { readonly text: string; readonly hashed: boolean } {
  return id.length <= MAX_KEY_PART_LENGTH && Buffer.byteLength(id) <= maxBytes
    ? { text: id, hashed: false }
    : { text: createHash('sha256').update(id).digest('hex'), hashed: true };
}

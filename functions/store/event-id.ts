import { createHash } from 'node:crypto';

/**
 * Tencent sends no event or delivery id (docs/protocol.md#timeouts-and-retries), so the id is derived from what identifies a
 * delivery: the app, the command and the exact body bytes. A resent body gets the same id and is
 * stored once. The raw text is hashed rather than the parsed JSON, so two bodies that differ anywhere,
 * even in digits JSON numbers would round away, never share an id.
 */
export function eventIdOf(sdkAppId: string, command: string, rawBody: string): string {
  return createHash('sha256').update(`${sdkAppId}\n${command}\n${rawBody}`).digest('hex').slice(0, 32);
}

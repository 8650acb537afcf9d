/**
 * How much of a sender's text is kept outside the body. A query parameter or a body field may be as
 * long as the request: a log line or an attribute beside the payload is no place for a 1 MiB group id.
 */
export const clipLengths = {
  /** Query parameters kept with a stored event (`ClientIP`, `OptPlatform`): a few hundred characters tell all they can. */
  storedParameter: 256,
  /** Ids and fields in a callback's record: enough to recognise one, short enough to scan a log. */
  recorded: 128,
  /** A record's SDKAppID: a real one is at most 20 digits (settings.ts). */
  recordedSdkAppId: 32,
  /** A record's `ClientIP`: an IPv6 address is at most 45 characters. */
  recordedClientIp: 64,
  /** A record's `OptPlatform`: Tencent's are one word (`iOS`, `Android`, `Web`…). */
  recordedOptPlatform: 32,
} as const;

/** The start of a text, `length` characters at most; anything not a string is left out. */
export const clip = (value: unknown, length: number): string | undefined => (typeof value === 'string' ? value.slice(0, length) : undefined);

/**
 * The start of a text in at most `maxBytes` of UTF-8, never splitting a character: what a byte limit
 * (DynamoDB's, a key's, an item's) can keep of it.
 */
export function clipUtf8(text: string, maxBytes: number): string {
  // TextEncoder, not Buffer: the inspector's page (a browser) shares this module.
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // A continuation byte (10xxxxxx) at the cut belongs to a character that starts before it.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

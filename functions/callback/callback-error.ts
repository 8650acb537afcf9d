/**
 * Every way a callback can be turned away, with its HTTP status and the `ErrorCode` of the
 * `ActionStatus: "FAIL"` answer. Codes are the status times 100 plus a number, well clear of the
 * decision codes Tencent gives meaning to (0, 1, 2, 10100–10200). The reason names the case in logs
 * and metrics; the message (`ErrorInfo`) tells the sender what was wrong.
 */
export const callbackErrors = {
  'route-not-found': { statusCode: 404, errorCode: 40400 },
  'method-not-allowed': { statusCode: 405, errorCode: 40500 },
  /** Local mode: bytes node:http cannot read as an HTTP request (API Gateway answers these itself in AWS). */
  'malformed-request': { statusCode: 400, errorCode: 40009 },
  'headers-too-large': { statusCode: 431, errorCode: 43100 },
  'missing-sign': { statusCode: 401, errorCode: 40101 },
  'request-time-outside-window': { statusCode: 401, errorCode: 40102 },
  'invalid-sign': { statusCode: 401, errorCode: 40103 },
  'missing-sdkappid': { statusCode: 403, errorCode: 40301 },
  'unknown-sdkappid': { statusCode: 403, errorCode: 40302 },
  /** Local mode: a request a web browser sent (Origin, Sec-Fetch-Site): a web page aiming at 127.0.0.1 (local/browser-requests.ts). */
  'browser-request': { statusCode: 403, errorCode: 40303 },
  'payload-too-large': { statusCode: 413, errorCode: 41300 },
  /** Within maxBodyBytes, but too large for one DynamoDB item even compressed. */
  'too-large-to-store': { statusCode: 413, errorCode: 41301 },
  /** A batch (`Push.*`) with more items than maxBatchItems: refused before any item is checked or stored. */
  'batch-too-large': { statusCode: 413, errorCode: 41302 },
  'invalid-command': { statusCode: 400, errorCode: 40008 },
  'empty-body': { statusCode: 400, errorCode: 40001 },
  'invalid-utf8': { statusCode: 400, errorCode: 40002 },
  'invalid-json': { statusCode: 400, errorCode: 40003 },
  'forbidden-json-key': { statusCode: 400, errorCode: 40004 },
  'body-not-object': { statusCode: 400, errorCode: 40005 },
  'missing-command': { statusCode: 400, errorCode: 40006 },
  'command-mismatch': { statusCode: 400, errorCode: 40007 },
  /** Not the sender's fault: the event was not acknowledged, so Tencent's optional retry can help. */
  'store-unavailable': { statusCode: 503, errorCode: 50300 },
  /** The token could not be read (Secrets Manager): the request can be neither trusted nor refused for cause. */
  'token-unavailable': { statusCode: 503, errorCode: 50301 },
} as const satisfies Record<string, { statusCode: number; errorCode: number }>;

export type CallbackErrorReason = keyof typeof callbackErrors;

/** Not in the catalog above, since nothing throws it: the answer to a bug (tencent-error-response.ts). */
export const INTERNAL_ERROR = { reason: 'internal-error', statusCode: 500, errorCode: 50000 } as const;

/** The catalog's reason for each ErrorCode, the internal error's included: for logs, reports and tests. */
export const reasonOfErrorCode: ReadonlyMap<number, string> = new Map([
  ...Object.entries(callbackErrors).map(([reason, { errorCode }]) => [errorCode, reason] as const),
  [INTERNAL_ERROR.errorCode, INTERNAL_ERROR.reason],
]);

export class CallbackError extends Error {
  override name = 'CallbackError';
  readonly reason: CallbackErrorReason;
  readonly statusCode: number;
  readonly errorCode: number;
  readonly headers: Record<string, string>;

  constructor(reason: CallbackErrorReason, message: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.statusCode = callbackErrors[reason].statusCode;
    this.errorCode = callbackErrors[reason].errorCode;
    this.headers = options.headers ?? {};
  }
}

/**
 * What Tencent's REST error codes mean to a caller, as data, and the four errors the client throws.
 *
 * Sources: the common error codes, https://trtc.io/document/34348 and
 * https://cloud.tencent.com/document/product/269/1671; send_group_msg's own (10023),
 * https://www.tencentcloud.com/document/product/1047/34959; the Live and Call configuration APIs'
 * (100001), https://trtc.io/document/64420 and https://trtc.io/document/68938.
 *
 * A caller that watches something (a canary, a reconciliation) reports `unknown` for an error whose
 * `indeterminate` is true (rate limited, unavailable: Tencent said nothing about the thing asked) and
 * `broken` for the others.
 */

/** What a credentials error asks to fix: a part of the credentials, the domain, or something outside them. */
export type CredentialSetting = 'sdkAppId' | 'identifier' | 'secretKey' | 'domain' | 'clock' | 'ipAllowlist';

/** How each setting is named when no source names it better (the credentials reader does: a secret's field, a variable). */
export const defaultSettingNames: Readonly<Record<CredentialSetting, string>> = {
  sdkAppId: 'sdkAppId',
  identifier: 'identifier (an App admin account)',
  secretKey: 'secretKey (the app key from the Chat console)',
  domain: 'the REST domain (the data centre the SDKAppID was created in)',
  clock: "this machine's clock (a UserSig is dated by it)",
  ipAllowlist: "the REST API's IP allowlist in the Chat console",
};

export type TencentErrorKind = 'credentials' | 'rate-limited' | 'unavailable' | 'api';

interface CodeMeaning {
  readonly kind: Exclude<TencentErrorKind, 'api'>;
  readonly meaning: string;
  /** For credentials: what to fix. */
  readonly settings?: readonly CredentialSetting[];
  /** False for a rate limit that lasts longer than any retry here would wait. Default: retried unless credentials. */
  readonly retry?: boolean;
}

/** Every code the client treats specially; any other non-zero code is an `api` error. */
export const restErrorCodes: Readonly<Record<number, CodeMeaning>> = {
  60004: { kind: 'credentials', meaning: 'account or signature error', settings: ['identifier', 'secretKey'] },
  60005: { kind: 'credentials', meaning: 'account or signature error', settings: ['identifier', 'secretKey'] },
  60006: { kind: 'credentials', meaning: 'the SDKAppID is invalid', settings: ['sdkAppId'] },
  60010: { kind: 'credentials', meaning: 'the call needs an App admin account', settings: ['identifier'] },
  60012: { kind: 'credentials', meaning: 'the SDKAppID is missing', settings: ['sdkAppId'] },
  60016: { kind: 'credentials', meaning: 'the SDKAppID is disabled', settings: ['sdkAppId'] },
  60021: { kind: 'credentials', meaning: 'the source IP is not allowed', settings: ['ipAllowlist'] },
  60025: { kind: 'credentials', meaning: 'SDKAppID, identifier, UserSig or ContentType wrong in the URL', settings: ['sdkAppId', 'identifier', 'secretKey'] },
  60026: { kind: 'credentials', meaning: "the domain is not the SDKAppID's data centre", settings: ['domain'] },
  70001: { kind: 'credentials', meaning: 'the UserSig has expired', settings: ['clock'] },
  70003: { kind: 'credentials', meaning: 'the UserSig is illegal', settings: ['secretKey'] },
  70009: { kind: 'credentials', meaning: 'UserSig verification failed (wrong key)', settings: ['secretKey'] },
  70013: { kind: 'credentials', meaning: "the identifier is not the UserSig's", settings: ['identifier'] },
  70014: { kind: 'credentials', meaning: "the SDKAppID is not the UserSig's", settings: ['sdkAppId'] },
  70016: { kind: 'credentials', meaning: 'no key for this SDKAppID in this data centre', settings: ['domain', 'sdkAppId'] },
  70020: { kind: 'credentials', meaning: 'the SDKAppID is not found in this data centre', settings: ['domain', 'sdkAppId'] },
  60007: { kind: 'rate-limited', meaning: 'REST call frequency over the limit' },
  60011: { kind: 'rate-limited', meaning: 'SDKAppID request frequency over the limit' },
  60018: { kind: 'rate-limited', meaning: 'requests too frequent' },
  60019: { kind: 'rate-limited', meaning: 'requests too frequent' },
  60028: { kind: 'rate-limited', meaning: "the trial edition's 24-hour volume is used up", retry: false },
  // Verification failed so often that Tencent stops checking for a minute: the key is likely wrong too.
  70050: { kind: 'rate-limited', meaning: 'UserSig verification failed too often, retry after 1 minute (check secretKey)', retry: false },
  10023: { kind: 'rate-limited', meaning: 'message frequency limit' },
  70169: { kind: 'unavailable', meaning: 'internal error, retry' },
  70500: { kind: 'unavailable', meaning: 'internal error, retry' },
  100001: { kind: 'unavailable', meaning: 'internal error' },
};

/** Tencent's default limit for every API this client calls (CT/269/1616, 1617, 2282; T/64420, T/68938). */
export const restCallsPerSecond = 200;

/** The REST server gives up after 3 s; a client must wait longer (https://intl.cloud.tencent.com/document/product/1047/34620, FAQ). */
export const restServerTimeoutMs = 3_000;

export interface TencentRestErrorDetails {
  /** The API, e.g. `openim/sendmsg`. */
  readonly api: string;
  /** Tencent's ErrorCode, when it answered with one. */
  readonly code?: number;
  /** Tencent's ErrorInfo. */
  readonly info?: string;
  /** The HTTP status, when it was not 200. */
  readonly httpStatus?: number;
  /** How many requests were made. */
  readonly attempts?: number;
  readonly cause?: unknown;
}

export class TencentRestError extends Error {
  override name = 'TencentRestError';
  readonly kind: TencentErrorKind = 'api';
  readonly api: string;
  readonly code: number | undefined;
  readonly info: string | undefined;
  readonly httpStatus: number | undefined;
  readonly attempts: number;

  constructor(message: string, details: TencentRestErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.api = details.api;
    this.code = details.code;
    this.info = details.info;
    this.httpStatus = details.httpStatus;
    this.attempts = details.attempts ?? 1;
  }

  /** Tencent said nothing about the thing asked (rate limited, unavailable): report `unknown`, not `broken`. */
  get indeterminate(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'unavailable';
  }
}

/** The credentials (or the domain) are wrong: `settings` says what to fix, and the message names where it is set. */
export class TencentCredentialsError extends TencentRestError {
  override name = 'TencentCredentialsError';
  override readonly kind = 'credentials';
  readonly settings: readonly CredentialSetting[];

  constructor(message: string, details: TencentRestErrorDetails & { readonly settings: readonly CredentialSetting[] }) {
    super(message, details);
    this.settings = details.settings;
  }
}

/** Tencent kept answering "too frequent" after the retries. */
export class TencentRateLimitedError extends TencentRestError {
  override name = 'TencentRateLimitedError';
  override readonly kind = 'rate-limited';
}

/** No answer in time, a network error, an HTTP 5xx or an internal error, after the retries. */
export class TencentUnavailableError extends TencentRestError {
  override name = 'TencentUnavailableError';
  override readonly kind = 'unavailable';
}

/** Tencent answered, and refused: `code` and `info` say why. */
export class TencentApiError extends TencentRestError {
  override name = 'TencentApiError';
}

/** The error for an answer with a non-zero ErrorCode. `settingNames` names the settings a credentials error asks to fix. */
export function errorForCode(
  code: number,
  errorInfo: string,
  details: Omit<TencentRestErrorDetails, 'code' | 'info'>,
  settingNames: Readonly<Record<CredentialSetting, string>> = defaultSettingNames,
): TencentRestError {
  const known = restErrorCodes[code];
  // One line whatever Tencent wrote, and bounded: the message is printed as the CLI's one line.
  const info = errorInfo.replace(/\s+/g, ' ').trim().slice(0, 300);
  const full = { ...details, code, info };
  const said = `ErrorCode ${code}: ${known?.meaning ?? (info || 'no ErrorInfo')}`;
  const on = `v4/${details.api}`;
  if (known?.kind === 'credentials') {
    const settings = known.settings ?? [];
    return new TencentCredentialsError(
      `Tencent's REST API refused the admin credentials (${said}) on ${on}: check ${settings.map((setting) => settingNames[setting]).join(' and ')}`,
      { ...full, settings },
    );
  }
  const tries = (details.attempts ?? 1) > 1 ? ` after ${details.attempts} attempts` : '';
  if (known?.kind === 'rate-limited') return new TencentRateLimitedError(`Tencent's REST API rate-limited ${on}${tries} (${said})`, full);
  if (known?.kind === 'unavailable') return new TencentUnavailableError(`Tencent's REST API failed on ${on}${tries} (${said})`, full);
  return new TencentApiError(`Tencent's REST API refused ${on} (ErrorCode ${code}: ${info || 'no ErrorInfo'})`, full);
}

/** Whether another attempt may succeed: rate limits that pass within seconds, and unavailability. */
export function isRetryable(error: TencentRestError): boolean {
  if (error.kind === 'unavailable') return true;
  if (error.kind !== 'rate-limited') return false;
  return error.code === undefined || restErrorCodes[error.code]?.retry !== false;
}

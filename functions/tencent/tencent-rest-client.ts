/**
 * A small client of Tencent's Chat REST API (https://cloud.tencent.com/document/product/269/1519):
 * `POST https://<domain>/v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json`
 * with a JSON body, answered HTTP 200 with `{"ActionStatus","ErrorCode","ErrorInfo",…}` whatever the
 * outcome.
 *
 * - Signs with an admin UserSig from Tencent's package, renewed before it expires (user-sig.ts).
 * - Maps Tencent's codes to four errors (rest-errors.ts): credentials (naming the setting to fix),
 *   rate limited, unavailable, and any other refusal with its code.
 * - Retries what may pass (rate limits, timeouts, network errors, 5xx, internal errors) with
 *   exponential backoff and jitter, never faster than Tencent's per-API limit (call-rate.ts). The
 *   body is made once, so a retried send keeps its MsgRandom/Random and Tencent drops a duplicate.
 * - Waits longer than Tencent's own 3 s server timeout before calling a request lost.
 *
 * Usable in a Lambda function: no logging of its own (`onRetry` tells the caller), global fetch with
 * its keep-alive pool, nothing loaded that the calls do not need.
 */
import { randomInt } from 'node:crypto';
import * as v from 'valibot';
import { type CallRate, callRate, sleepFor } from './call-rate.ts';
import {
  type CallbackConfig,
  type CallbackProductName,
  callbackApi,
  callbackConfigExists,
  callbackConfigMissing,
  callbackProducts,
  GetCallbackAnswerSchema,
} from './callback-products.ts';
import {
  chatApis,
  GetGroupInfoAnswerSchema,
  type GroupInfo,
  type GroupInfoFilter,
  type GroupMember,
  type GroupMemberInfoRequest,
  type GroupMemberPage,
  GroupMemberPageSchema,
  type GroupType,
  groupInfoBatchSize,
  maxMemberPageSize,
  memberPageSize,
  type SendGroupMsgAnswer,
  SendGroupMsgAnswerSchema,
  type SendGroupMsgRequest,
  type SendMsgAnswer,
  SendMsgAnswerSchema,
  type SendMsgRequest,
} from './chat-apis.ts';
import { restBaseUrl } from './rest-domains.ts';
import {
  type CredentialSetting,
  defaultSettingNames,
  errorForCode,
  isRetryable,
  restCallsPerSecond,
  restServerTimeoutMs,
  TencentApiError,
  TencentRateLimitedError,
  TencentRestError,
  TencentUnavailableError,
} from './rest-errors.ts';
import type { TencentCredentials } from './tencent-credentials.ts';
import { type UserSigSource, userSigSource } from './user-sig.ts';

/** 2 s past Tencent's 3 s server timeout: its own "timed out" answer arrives rather than our guess. */
export const defaultTimeoutMs = restServerTimeoutMs + 2_000;

export interface RetryOptions {
  /** Requests made at most, the first included. Default: 4. */
  readonly attempts?: number;
  /** The first wait; each next one doubles, with jitter. Default: 250 ms. */
  readonly baseDelayMs?: number;
  /** The longest wait. Default: 4000 ms. */
  readonly maxDelayMs?: number;
}

export interface RetryEvent {
  readonly api: string;
  /** The attempt that failed. */
  readonly attempt: number;
  readonly error: TencentRestError;
  readonly delayMs: number;
}

export interface TencentRestClientOptions {
  readonly credentials: TencentCredentials;
  /** A region name (`singapore`, …; rest-domains.ts) or a host name. Default: `china`. */
  readonly domain?: string;
  /** Overrides the domain, e.g. a stand-in's `http://127.0.0.1:PORT`. */
  readonly baseUrl?: string;
  /** How long one request may take before it counts as lost. Default: 5000 ms. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Calls per API per second. Default: 200, Tencent's default limit. */
  readonly callsPerSecond?: number;
  /** How errors name settings not named by the credentials, e.g. `{ domain: '--domain' }`. */
  readonly settingNames?: Partial<Record<CredentialSetting, string>>;
  /** Told before each wait between attempts. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
  /** Waits. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1). Default: `Math.random`. */
  readonly random?: () => number;
}

/** One group's result from get_group_info: the group, or why Tencent gave none. */
export type GroupInfoResult =
  | { readonly ok: true; readonly groupId: string; readonly group: GroupInfo }
  | { readonly ok: false; readonly groupId: string; readonly error: TencentRestError };

/** What setCallback did: `created` or `updated` (Live), `set` (Call, whose set overwrites). */
export type SetCallbackOutcome = 'created' | 'updated' | 'set';

const BaseAnswerSchema = v.looseObject({
  ActionStatus: v.optional(v.string()),
  ErrorCode: v.optional(v.number()),
  ErrorInfo: v.optional(v.string()),
});

const uint32 = () => randomInt(0, 2 ** 32);

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`TencentRestClient: ${name} must be a positive whole number`);
  return value;
}

export class TencentRestClient {
  readonly sdkAppId: string;
  readonly #credentials: TencentCredentials;
  readonly #base: URL;
  readonly #userSig: UserSigSource;
  readonly #rate: CallRate;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #settingNames: Readonly<Record<CredentialSetting, string>>;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: TencentRestClientOptions) {
    const { credentials, now = Date.now, sleep = sleepFor } = options;
    this.sdkAppId = credentials.sdkAppId;
    this.#credentials = credentials;
    this.#base = restBaseUrl(options.domain, options.baseUrl);
    this.#userSig = userSigSource(credentials, { now });
    this.#rate = callRate({ perSecond: positiveInteger('callsPerSecond', options.callsPerSecond ?? restCallsPerSecond), now, sleep });
    this.#timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? defaultTimeoutMs);
    this.#attempts = positiveInteger('retry.attempts', options.retry?.attempts ?? 4);
    this.#baseDelayMs = options.retry?.baseDelayMs ?? 250;
    this.#maxDelayMs = options.retry?.maxDelayMs ?? 4_000;
    this.#settingNames = { ...defaultSettingNames, ...credentials.settingNames, ...options.settingNames };
    this.#onRetry = options.onRetry;
    this.#sleep = sleep;
    this.#random = options.random ?? Math.random;
  }

  /**
   * Calls any API (`service/command`) with a JSON body and returns the answer, once ErrorCode is 0;
   * otherwise throws a TencentRestError. The typed methods below are built on it.
   */
  async call(api: string, body: object = {}): Promise<Record<string, unknown>> {
    // Tencent refuses an empty body: `{}` when there are no fields (https://intl.cloud.tencent.com/document/product/1047/34620).
    const bodyText = JSON.stringify(body);
    let renewedSig = false;
    for (let attempt = 1; ; attempt++) {
      await this.#rate.take(api);
      try {
        return await this.#attempt(api, bodyText, attempt);
      } catch (error) {
        if (!(error instanceof TencentRestError)) throw error;
        // A cached sig Tencent calls expired (a suspended process, a clock that jumped): one fresh sig.
        if (error.code === 70001 && !renewedSig) {
          renewedSig = true;
          this.#userSig.renew();
          continue;
        }
        if (!isRetryable(error) || attempt >= this.#attempts) throw error;
        const delayMs = this.#backoff(attempt);
        this.#onRetry?.({ api, attempt, error, delayMs });
        await this.#sleep(delayMs);
      }
    }
  }

  /** Sends a one-to-one message (openim/sendmsg). */
  async sendMsg(request: SendMsgRequest): Promise<SendMsgAnswer> {
    return this.#parsed(chatApis.sendMsg, await this.call(chatApis.sendMsg, { ...request, MsgRandom: request.MsgRandom ?? uint32() }), SendMsgAnswerSchema);
  }

  /** Sends a message to a group (group_open_http_svc/send_group_msg). */
  async sendGroupMsg(request: SendGroupMsgRequest): Promise<SendGroupMsgAnswer> {
    const answer = await this.call(chatApis.sendGroupMsg, { ...request, Random: request.Random ?? uint32() });
    return this.#parsed(chatApis.sendGroupMsg, answer, SendGroupMsgAnswerSchema);
  }

  /**
   * Each group's profile (group_open_http_svc/get_group_info), in the order asked, 50 groups a
   * request. A group Tencent has no answer for (dissolved, never existed, no permission) is a result
   * with `ok: false` and its own error: only the request's failure throws.
   */
  async getGroupInfo(groupIds: readonly string[], filter?: GroupInfoFilter): Promise<GroupInfoResult[]> {
    const results: GroupInfoResult[] = [];
    for (let start = 0; start < groupIds.length; start += groupInfoBatchSize) {
      const batch = groupIds.slice(start, start + groupInfoBatchSize);
      const answer = await this.call(chatApis.getGroupInfo, { GroupIdList: batch, ...(filter === undefined ? {} : { ResponseFilter: filter }) });
      const byId = new Map(this.#parsed(chatApis.getGroupInfo, answer, GetGroupInfoAnswerSchema).GroupInfo.map((group) => [group.GroupId, group]));
      for (const groupId of batch) {
        const group = byId.get(groupId);
        if (group === undefined) {
          const error = new TencentApiError(`Tencent's REST API answered v4/${chatApis.getGroupInfo} without group ${groupId}`, { api: chatApis.getGroupInfo });
          results.push({ ok: false, groupId, error });
        } else if (group.ErrorCode !== 0) {
          results.push({ ok: false, groupId, error: errorForCode(group.ErrorCode, group.ErrorInfo, { api: chatApis.getGroupInfo }, this.#settingNames) });
        } else results.push({ ok: true, groupId, group });
      }
    }
    return results;
  }

  /** One page of a group's members (group_open_http_svc/get_group_member_info). */
  async getGroupMemberInfo(request: GroupMemberInfoRequest): Promise<GroupMemberPage> {
    return this.#parsed(chatApis.getGroupMemberInfo, await this.call(chatApis.getGroupMemberInfo, request), GroupMemberPageSchema);
  }

  /**
   * Every member of a group, page by page: Community groups page with `Next` ("" first, then the
   * answer's, until it is ""), the others with Limit/Offset (https://trtc.io/document/34948). AVChatRoom
   * members cannot be listed through this API. Members joining or leaving between pages may be missed
   * or seen twice: a reconciliation compares what it saw, not a snapshot.
   */
  async *groupMembers(
    groupId: string,
    groupType: GroupType,
    options: Omit<GroupMemberInfoRequest, 'GroupId' | 'Limit' | 'Offset' | 'Next'> & { readonly pageSize?: number } = {},
  ): AsyncGenerator<GroupMember, void, undefined> {
    if (groupType === 'AVChatRoom') throw new TypeError(`Group ${groupId} is an AVChatRoom: Tencent's get_group_member_info does not list its members`);
    const { pageSize = memberPageSize, ...filters } = options;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxMemberPageSize) throw new TypeError(`pageSize must be 1 to ${maxMemberPageSize}`);
    if (groupType === 'Community') {
      let next = '';
      do {
        const page = await this.getGroupMemberInfo({ ...filters, GroupId: groupId, Limit: pageSize, Next: next });
        yield* page.MemberList;
        next = page.Next ?? '';
      } while (next !== '');
      return;
    }
    for (let offset = 0; ; ) {
      const page = await this.getGroupMemberInfo({ ...filters, GroupId: groupId, Limit: pageSize, Offset: offset });
      yield* page.MemberList;
      offset += page.MemberList.length;
      if (page.MemberList.length < pageSize || (page.MemberNum !== undefined && offset >= page.MemberNum)) return;
    }
  }

  /** The product's callback configuration, or undefined when none is set. */
  async getCallback(product: CallbackProductName): Promise<CallbackConfig | undefined> {
    const api = callbackApi(product, 'get_callback');
    try {
      return this.#parsed(api, await this.call(api), GetCallbackAnswerSchema).Response;
    } catch (error) {
      if (error instanceof TencentRestError && error.code === callbackConfigMissing) return undefined;
      throw error;
    }
  }

  /** Sets the product's callback URL and commands: creates, or updates what exists (Live's set refuses that). */
  async setCallback(product: CallbackProductName, config: CallbackConfig): Promise<SetCallbackOutcome> {
    const body = { Url: config.Url, CallbackCommandList: config.CallbackCommandList };
    if (!callbackProducts[product].setRefusesExisting) {
      await this.call(callbackApi(product, 'set_callback'), body);
      return 'set';
    }
    try {
      await this.call(callbackApi(product, 'set_callback'), body);
      return 'created';
    } catch (error) {
      if (!(error instanceof TencentRestError && error.code === callbackConfigExists)) throw error;
    }
    await this.call(callbackApi(product, 'update_callback'), body);
    return 'updated';
  }

  /** Exponential, capped, with jitter in its upper half: spread out, never a burst of immediate retries. */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }

  #parsed<const S extends v.GenericSchema>(api: string, answer: Record<string, unknown>, schema: S): v.InferOutput<S> {
    const parsed = v.safeParse(schema, answer);
    if (parsed.success) return parsed.output;
    const issue = parsed.issues[0];
    const where = v.getDotPath(issue) ?? 'the answer';
    throw new TencentApiError(`Tencent's REST API answered v4/${api} in an unexpected shape: ${where} ${issue.message}`, { api });
  }

  async #attempt(api: string, bodyText: string, attempt: number): Promise<Record<string, unknown>> {
    const url = new URL(api, this.#base);
    url.search = new URLSearchParams({
      sdkappid: this.#credentials.sdkAppId,
      identifier: this.#credentials.identifier,
      usersig: this.#userSig.current(),
      random: String(uint32()),
      contenttype: 'json',
    }).toString();
    const on = `v4/${api}`;
    const tries = attempt > 1 ? ` (attempt ${attempt})` : '';
    const details = { api, attempts: attempt };
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyText,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      // Never the URL: it carries the UserSig.
      const timedOut = (error as Error).name === 'TimeoutError';
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      const why = timedOut ? `no answer within ${this.#timeoutMs} ms` : `${cause?.code ?? cause?.message ?? (error as Error).message}`;
      throw new TencentUnavailableError(`Tencent's REST API did not answer ${on}${tries}: ${why}`, { ...details, cause: error });
    }
    if (status === 429) throw new TencentRateLimitedError(`Tencent's REST API rate-limited ${on}${tries}: HTTP 429`, { ...details, httpStatus: status });
    if (status >= 500) throw new TencentUnavailableError(`Tencent's REST API failed on ${on}${tries}: HTTP ${status}`, { ...details, httpStatus: status });
    if (status !== 200) throw new TencentApiError(`Tencent's REST API refused ${on}: HTTP ${status}`, { ...details, httpStatus: status });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // HTTP 200 with something other than JSON: a proxy's page, not Tencent's answer.
      throw new TencentUnavailableError(`Tencent's REST API answered ${on}${tries} with something other than JSON`, details);
    }
    const answer = v.safeParse(BaseAnswerSchema, json);
    if (!answer.success) throw new TencentUnavailableError(`Tencent's REST API answered ${on}${tries} with JSON that is not an answer`, details);
    const { ErrorCode = 0, ActionStatus, ErrorInfo = '' } = answer.output;
    if (ErrorCode === 0 && ActionStatus !== 'FAIL') return answer.output;
    throw errorForCode(ErrorCode, ErrorInfo, details, this.#settingNames);
  }
}

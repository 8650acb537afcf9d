/**
 * A local stand-in of Tencent's Chat REST API (`POST /v4/<service>/<command>?sdkappid=&identifier=
 * &usersig=&random=&contenttype=json`), as much as functions/tencent/ calls, over an in-memory app:
 *
 * - `openim/sendmsg`, `group_open_http_svc/send_group_msg`: recorded in `sent`; a repeat within
 *   Tencent's dedupe window (same MsgRandom/MsgSeq/body for 120 s; same Random in a group for 5 min)
 *   answers OK without being recorded again.
 * - `group_open_http_svc/get_group_info`: up to 50 groups, each with its own ErrorCode (10010 for an
 *   unknown group); AVChatRoom without member count or list, as Tencent documents.
 * - `group_open_http_svc/get_group_member_info`: Limit/Offset, or Next for Community groups (which
 *   refuse Offset); AVChatRoom refused.
 * - `live_config/{set,update,get}_callback`, `call_config/{set,get}_callback`: Live's set refuses an
 *   existing configuration (100300), Call's overwrites; get answers 100301 when there is none.
 *
 * - Chat's after-callbacks of the messages it sends (`Group.CallbackAfterSendMsg`,
 *   `C2C.CallbackAfterSendMsg`), POSTed to `chatCallbacks.url` as Tencent does (its query with
 *   `OptPlatform=RESTAPI`, signed with `chatCallbacks.token` when set), unless the message forbids it
 *   (`ForbidCallbackControl`); `chatCallbacks = undefined` is the console's switch turned off.
 *   `delivered` records each callback's command and HTTP status.
 *
 * Every request is checked as Tencent would: the URL's parameters, the SDKAppID and admin account,
 * and the UserSig, decoded (base64 with Tencent's URL-safe escapes, zlib, JSON) and its HMAC-SHA256
 * recomputed with the app's key (the algorithm of tls-sig-api-v2, research-tencent.md §6), with the
 * Tencent error code for each failure (60006, 60010, 60025, 70001, 70003, 70009, 70013, 70014).
 *
 * ```ts
 * const standIn = await startTencentRestStandIn({ sdkAppId: '1400000001', identifier: 'admin', secretKey: 'k' });
 * standIn.groups.set('@TGS#1', { Type: 'Public', Name: 'One', members: [{ Member_Account: 'leckie', Role: 'Owner' }] });
 * const client = new TencentRestClient({ credentials, baseUrl: standIn.baseUrl });
 * standIn.failNext('openim/sendmsg', { errorCode: 60007 }, 2); // the next two sendmsg calls are rate-limited
 * standIn.rateLimit(5);                                        // 60007 past 5 calls of one API in a second
 * standIn.sent; standIn.callbacks.get('live'); standIn.requests; await standIn.close();
 * ```
 *
 * `requests` records each request's API, URL parameters (the UserSig left out), body and answer: never
 * the key, nor anything made from it. Codes the research notes do not give for a case are marked
 * "stand-in's choice" below.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { inflateSync } from 'node:zlib';
import type { CallbackConfig, CallbackProductName } from '../../functions/tencent/callback-products.ts';
import { chatApis, type GroupType, groupInfoBatchSize, groupNotFoundCode } from '../../functions/tencent/chat-apis.ts';

export interface StandInApp {
  readonly sdkAppId: string;
  /** The App admin account the requests sign as. */
  readonly identifier: string;
  readonly secretKey: string;
  /** Other accounts that are App admins too. */
  readonly otherAdmins?: readonly string[];
}

export interface StandInMember {
  readonly Member_Account: string;
  readonly Role?: 'Owner' | 'Admin' | 'Member';
  readonly JoinTime?: number;
  readonly [field: string]: unknown;
}

export interface StandInGroup {
  readonly Type: GroupType;
  readonly Name?: string;
  readonly Owner_Account?: string;
  /** In the order get_group_member_info pages them. */
  readonly members?: readonly StandInMember[];
  /** Any other field get_group_info answers with (Introduction, FaceUrl, AppDefinedData, …). */
  readonly info?: Readonly<Record<string, unknown>>;
}

export interface SentMessage {
  readonly api: typeof chatApis.sendMsg | typeof chatApis.sendGroupMsg;
  /** The request's body as sent. */
  readonly body: Record<string, unknown>;
  readonly MsgTime: number;
}

/** How the next matching calls fail instead of being answered. */
export type StandInFailure =
  /** An answer with this ErrorCode (HTTP 200, ActionStatus FAIL), the request not carried out. */
  | { readonly errorCode: number; readonly errorInfo?: string }
  /** This HTTP status with a short HTML page, as a gateway answers. */
  | { readonly httpStatus: number }
  /** No answer at all until the stand-in closes (the client's timeout decides). */
  | { readonly hang: true }
  /** Carried out, then no answer: the answer was lost on the way back. */
  | { readonly lose: true }
  /** HTTP 200 with this body, e.g. something other than JSON. */
  | { readonly rawBody: string };

export interface RecordedRequest {
  readonly api: string;
  /** The URL's parameters, the UserSig left out. */
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The ErrorCode answered, or the HTTP status or `hang`/`lose`/`raw` of a failure switch. */
  readonly answer: number | string;
}

/** Where Chat's callbacks go: the console's callback URL and token. */
export interface ChatCallbackConfig {
  readonly url: string;
  readonly token?: string;
}

export interface DeliveredCallback {
  readonly command: string;
  /** The receiver's HTTP status, or the network error's message. */
  readonly status: number | string;
  readonly body: Record<string, unknown>;
}

export interface TencentRestStandIn {
  /** The client's `baseUrl`. */
  readonly baseUrl: string;
  /** Where the after-callbacks of sent messages go; undefined: none are sent (the switch is off). */
  chatCallbacks: ChatCallbackConfig | undefined;
  readonly delivered: DeliveredCallback[];
  readonly groups: Map<string, StandInGroup>;
  readonly sent: SentMessage[];
  readonly callbacks: Map<CallbackProductName, CallbackConfig>;
  readonly requests: RecordedRequest[];
  /** The next `times` calls of `api` (`'*'`: any API) fail so. Later calls are answered again. */
  failNext(api: string, failure: StandInFailure, times?: number): void;
  /** Answers 60007 past `perSecond` calls of one API within a second; `undefined` lifts the limit. */
  rateLimit(perSecond: number | undefined): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** The clock the UserSig's expiry is checked against, in epoch ms. Default: `Date.now`. */
  readonly now?: () => number;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

const json = (body: Record<string, unknown>): Answer => ({ status: 200, body: JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, ...body }) });
const fail = (ErrorCode: number, ErrorInfo: string): Answer => ({ status: 200, body: JSON.stringify({ ActionStatus: 'FAIL', ErrorInfo, ErrorCode }) });
const codeOf = (answer: Answer): number => (JSON.parse(answer.body) as { ErrorCode: number }).ErrorCode;

/** The stand-in's "invalid parameter" per service: 10004 (group APIs, "参数非法"), 100002 (config APIs, T/64420); 90001 for openim, the only code the notes give. */
const invalid = (api: string, why: string) => fail(api.startsWith('group_') ? 10004 : api.includes('_config/') ? 100002 : 90001, why);

const isUint32 = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff;
const isMessageBody = (value: unknown) =>
  Array.isArray(value) && value.length > 0 && value.every((element) => typeof element?.MsgType === 'string' && typeof element?.MsgContent === 'object');

/** The UserSig's document, or why it is not one: Tencent's URL-safe base64 (`*`, `-`, `_`) of zlib-deflated JSON. */
function decodeUserSig(userSig: string): Record<string, unknown> | undefined {
  try {
    const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
    const document = JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8'));
    return typeof document === 'object' && document !== null ? document : undefined;
  } catch {
    return undefined;
  }
}

/** The HMAC tls-sig-api-v2 writes into `TLS.sig`, recomputed. */
function expectedSig(key: string, document: Record<string, unknown>): string {
  const lines = ['identifier', 'sdkappid', 'time', 'expire'].map((field) => `TLS.${field}:${document[`TLS.${field}`]}\n`);
  if (document['TLS.userbuf'] !== undefined) lines.push(`TLS.userbuf:${document['TLS.userbuf']}\n`);
  return createHmac('sha256', key).update(lines.join('')).digest('base64');
}

export async function startTencentRestStandIn(app: StandInApp, { now = Date.now }: StandInOptions = {}): Promise<TencentRestStandIn> {
  const groups = new Map<string, StandInGroup>();
  const sent: SentMessage[] = [];
  const callbacks = new Map<CallbackProductName, CallbackConfig>();
  const requests: RecordedRequest[] = [];
  const failures: { api: string; failure: StandInFailure; left: number }[] = [];
  const admins = new Set([app.identifier, ...(app.otherAdmins ?? [])]);
  let perSecond: number | undefined;
  const recentCalls = new Map<string, number[]>();
  /** Dedupe keys of messages carried out, with when. */
  const delivered = new Map<string, number>();
  const groupSeqs = new Map<string, number>();
  const held = new Set<ServerResponse>();
  const callbacksDelivered: DeliveredCallback[] = [];
  const config: { chatCallbacks: ChatCallbackConfig | undefined } = { chatCallbacks: undefined };

  /** Tencent's after-callback of a message sent through the REST API, as docs/protocol.md describes it, not awaited. */
  function callBack(command: string, body: Record<string, unknown>): void {
    const target = config.chatCallbacks;
    const forbidden = Array.isArray(body.ForbidCallbackControl) && body.ForbidCallbackControl.includes('ForbidAfterSendMsgCallback');
    if (target === undefined || forbidden) return;
    const url = new URL(target.url);
    const requestTime = String(Math.floor(now() / 1000));
    const query: Record<string, string> = { SdkAppid: app.sdkAppId, CallbackCommand: command, contenttype: 'json', ClientIP: '', OptPlatform: 'RESTAPI' };
    if (target.token !== undefined) {
      query.RequestTime = requestTime;
      query.Sign = createHash('sha256').update(`${target.token}${requestTime}`).digest('hex');
    }
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const payload = { CallbackCommand: command, ...body, EventTime: now() };
    fetch(url, { method: 'POST', body: JSON.stringify(payload) }).then(
      (response) => callbacksDelivered.push({ command, status: response.status, body: payload }),
      (error: Error) => callbacksDelivered.push({ command, status: error.message, body: payload }),
    );
  }

  /** Why the URL's credentials are refused, as Tencent's code, or undefined. */
  function credentialsProblem(query: URLSearchParams): Answer | undefined {
    const sdkAppId = query.get('sdkappid');
    const identifier = query.get('identifier');
    const userSig = query.get('usersig');
    if (sdkAppId === null || sdkAppId === '') return fail(60012, 'sdkappid is missing');
    if (identifier === null || userSig === null || query.get('contenttype') !== 'json' || !isUint32(Number(query.get('random') ?? 'x'))) {
      return fail(60025, 'sdkappid, identifier, usersig, random or contenttype is wrong in the URL');
    }
    if (sdkAppId !== app.sdkAppId) return fail(60006, 'SDKAppID invalid');
    if (!admins.has(identifier)) return fail(60010, 'the request needs an App admin');
    const document = decodeUserSig(userSig);
    if (document === undefined || document['TLS.ver'] !== '2.0' || typeof document['TLS.sig'] !== 'string') return fail(70003, 'illegal UserSig');
    if (document['TLS.identifier'] !== identifier) return fail(70013, "identifier is not the UserSig's");
    if (String(document['TLS.sdkappid']) !== sdkAppId) return fail(70014, "sdkappid is not the UserSig's");
    const given = Buffer.from(document['TLS.sig'] as string);
    const expected = Buffer.from(expectedSig(app.secretKey, document));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail(70009, 'UserSig verification failed');
    if ((Number(document['TLS.time']) + Number(document['TLS.expire'])) * 1000 <= now()) return fail(70001, 'UserSig expired');
    return undefined;
  }

  function overRateLimit(api: string): boolean {
    if (perSecond === undefined) return false;
    const time = now();
    const calls = (recentCalls.get(api) ?? []).filter((at) => at > time - 1000);
    calls.push(time);
    recentCalls.set(api, calls);
    return calls.length > perSecond;
  }

  /** True when this message was delivered within its dedupe window; otherwise it is counted as delivered now. */
  function alreadyDelivered(key: string, windowMs: number): boolean {
    const at = delivered.get(key);
    if (at !== undefined && now() - at < windowMs) return true;
    delivered.set(key, now());
    return false;
  }

  const groupNotFound = (groupId: string) => fail(groupNotFoundCode, `group ${groupId} does not exist or has been dissolved`);

  const handlers: Record<string, (body: Record<string, unknown>) => Answer> = {
    [chatApis.sendMsg](body) {
      if (typeof body.To_Account !== 'string' || !isMessageBody(body.MsgBody) || !isUint32(body.MsgRandom)) {
        return invalid(chatApis.sendMsg, 'To_Account, MsgBody and MsgRandom are required');
      }
      const MsgTime = Math.floor(now() / 1000);
      const key = JSON.stringify(['c2c', body.From_Account ?? app.identifier, body.To_Account, body.MsgSeq, body.MsgRandom, body.MsgBody]);
      const MsgKey = `${body.MsgRandom}_${MsgTime}`;
      if (!alreadyDelivered(key, 120_000)) {
        sent.push({ api: chatApis.sendMsg, body, MsgTime });
        callBack('C2C.CallbackAfterSendMsg', {
          From_Account: body.From_Account ?? app.identifier,
          To_Account: body.To_Account,
          MsgSeq: sent.length,
          MsgRandom: body.MsgRandom,
          MsgTime,
          MsgKey,
          OnlineOnlyFlag: 0,
          SendMsgResult: 0,
          ErrorInfo: 'send msg succeed',
          UnreadMsgNum: 1,
          MsgBody: body.MsgBody,
          ...(body.CloudCustomData === undefined ? {} : { CloudCustomData: body.CloudCustomData }),
        });
      }
      return json({ MsgTime, MsgKey });
    },
    [chatApis.sendGroupMsg](body) {
      const groupId = body.GroupId;
      if (typeof groupId !== 'string' || !isMessageBody(body.MsgBody) || !isUint32(body.Random)) {
        return invalid(chatApis.sendGroupMsg, 'GroupId, MsgBody and Random are required');
      }
      if (!groups.has(groupId)) return groupNotFound(groupId);
      const MsgTime = Math.floor(now() / 1000);
      if (!alreadyDelivered(JSON.stringify(['group', groupId, body.Random]), 300_000)) {
        groupSeqs.set(groupId, (groupSeqs.get(groupId) ?? 0) + 1);
        sent.push({ api: chatApis.sendGroupMsg, body, MsgTime });
        callBack('Group.CallbackAfterSendMsg', {
          GroupId: groupId,
          Type: groups.get(groupId)!.Type,
          From_Account: body.From_Account ?? app.identifier,
          Operator_Account: app.identifier,
          Random: body.Random,
          MsgSeq: groupSeqs.get(groupId),
          MsgTime,
          OnlineOnlyFlag: 0,
          MsgBody: body.MsgBody,
          ...(body.CloudCustomData === undefined ? {} : { CloudCustomData: body.CloudCustomData }),
        });
      }
      return json({ MsgTime, MsgSeq: groupSeqs.get(groupId) });
    },
    [chatApis.getGroupInfo](body) {
      const ids = body.GroupIdList;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > groupInfoBatchSize || !ids.every((id) => typeof id === 'string')) {
        return invalid(chatApis.getGroupInfo, `GroupIdList must hold 1 to ${groupInfoBatchSize} group ids`);
      }
      const GroupInfo = ids.map((GroupId: string) => {
        const group = groups.get(GroupId);
        if (group === undefined) return { GroupId, ErrorCode: groupNotFoundCode, ErrorInfo: `group ${GroupId} does not exist or has been dissolved` };
        const members = group.Type === 'AVChatRoom' ? {} : { MemberNum: group.members?.length ?? 0, MemberList: group.members ?? [] };
        return { GroupId, ErrorCode: 0, ErrorInfo: '', Type: group.Type, Name: group.Name, Owner_Account: group.Owner_Account, ...group.info, ...members };
      });
      // "The ErrorCode parameter here is meaningless. You need to check the ErrorCode parameter of each group." (CT/269/1616)
      return json({ GroupInfo });
    },
    [chatApis.getGroupMemberInfo](body) {
      const groupId = body.GroupId;
      if (typeof groupId !== 'string') return invalid(chatApis.getGroupMemberInfo, 'GroupId is required');
      const group = groups.get(groupId);
      if (group === undefined) return groupNotFound(groupId);
      // Stand-in's choice of code: the pages say only that AVChatRoom is not supported.
      if (group.Type === 'AVChatRoom') return fail(10007, 'AVChatRoom groups are not supported');
      const members = group.members ?? [];
      const limit = body.Limit === undefined ? members.length : Number(body.Limit);
      if (group.Type === 'Community') {
        if (body.Offset !== undefined) return invalid(chatApis.getGroupMemberInfo, 'Community groups page with Next, not Offset');
        const start = body.Next === undefined || body.Next === '' ? 0 : Number.parseInt(Buffer.from(String(body.Next), 'base64url').toString(), 10);
        if (!Number.isInteger(start) || start < 0) return invalid(chatApis.getGroupMemberInfo, 'Next is not a cursor this group gave');
        const end = start + limit;
        const Next = end < members.length ? Buffer.from(String(end)).toString('base64url') : '';
        return json({ MemberNum: members.length, MemberList: members.slice(start, end), Next });
      }
      const offset = Number(body.Offset ?? 0);
      return json({ MemberNum: members.length, MemberList: members.slice(offset, offset + limit) });
    },
  };

  for (const product of ['live', 'call'] as const) {
    const service = `${product}_config`;
    const valid = (body: Record<string, unknown>): CallbackConfig | undefined =>
      typeof body.Url === 'string' &&
      /^https?:\/\//.test(body.Url) &&
      Array.isArray(body.CallbackCommandList) &&
      body.CallbackCommandList.every((c) => typeof c === 'string')
        ? { Url: body.Url, CallbackCommandList: body.CallbackCommandList as string[] }
        : undefined;
    const store = (body: Record<string, unknown>) => {
      const config = valid(body);
      if (config === undefined) return invalid(`${service}/`, 'Url must start with http or https, CallbackCommandList must be a list of commands');
      callbacks.set(product, config);
      return json({ RequestId: `stand-in-${requests.length}` });
    };
    handlers[`${service}/set_callback`] = (body) => (product === 'live' && callbacks.has(product) ? fail(100300, 'config already exists') : store(body));
    if (product === 'live') handlers[`${service}/update_callback`] = (body) => (callbacks.has(product) ? store(body) : fail(100301, 'config does not exist'));
    handlers[`${service}/get_callback`] = () => {
      const config = callbacks.get(product);
      return config === undefined ? fail(100301, 'config does not exist') : json({ RequestId: `stand-in-${requests.length}`, Response: config });
    };
  }

  async function answer(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const api = url.pathname.replace(/^\/v4\//, '');
    const query = Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'usersig'));
    const bodyText = await text(request);
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = bodyText;
    }
    const record = (answered: number | string) => requests.push({ api, query, body, answer: answered });
    const send = (answered: Answer) => {
      record(answered.status === 200 ? codeOf(answered) : answered.status);
      response.writeHead(answered.status, { 'content-type': 'application/json' }).end(answered.body);
    };
    const handler = handlers[api];
    if (request.method !== 'POST' || !url.pathname.startsWith('/v4/') || handler === undefined) {
      record(404);
      response.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
      return;
    }
    const problem = credentialsProblem(url.searchParams);
    if (problem !== undefined) return send(problem);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(fail(90001, 'Fail to Parse json data of body, Please check it'));
    const switched = failures.find((entry) => entry.left > 0 && (entry.api === api || entry.api === '*'));
    if (switched !== undefined) {
      switched.left -= 1;
      const { failure } = switched;
      if ('errorCode' in failure) return send(fail(failure.errorCode, failure.errorInfo ?? `stand-in failure ${failure.errorCode}`));
      if ('httpStatus' in failure) {
        record(failure.httpStatus);
        response.writeHead(failure.httpStatus, { 'content-type': 'text/html' }).end(`<html><body>${failure.httpStatus}</body></html>`);
        return;
      }
      if ('rawBody' in failure) {
        record('raw');
        response.writeHead(200, { 'content-type': 'text/html' }).end(failure.rawBody);
        return;
      }
      if ('lose' in failure) handler(body as Record<string, unknown>);
      record('hang' in failure ? 'hang' : 'lose');
      held.add(response);
      return;
    }
    if (overRateLimit(api)) return send(fail(60007, 'REST API call frequency over the limit'));
    send(handler(body as Record<string, unknown>));
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: Error) => response.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get chatCallbacks() {
      return config.chatCallbacks;
    },
    set chatCallbacks(value) {
      config.chatCallbacks = value;
    },
    delivered: callbacksDelivered,
    groups,
    sent,
    callbacks,
    requests,
    failNext(api, failure, times = 1) {
      failures.push({ api, failure, left: times });
    },
    rateLimit(limit) {
      perSecond = limit;
      recentCalls.clear();
    },
    close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

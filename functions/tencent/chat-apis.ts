/**
 * The Chat REST APIs the client calls: their paths, limits, requests (Tencent's field names, as the
 * pages write them) and the answers' schemas. Facts from research-tencent.md §5, with the pages cited.
 */
import * as v from 'valibot';

export const chatApis = {
  /** https://cloud.tencent.com/document/product/269/2282 */
  sendMsg: 'openim/sendmsg',
  /** https://www.tencentcloud.com/document/product/1047/34959 */
  sendGroupMsg: 'group_open_http_svc/send_group_msg',
  /** https://cloud.tencent.com/document/product/269/1616 */
  getGroupInfo: 'group_open_http_svc/get_group_info',
  /** https://cloud.tencent.com/document/product/269/1617, https://trtc.io/document/34948 */
  getGroupMemberInfo: 'group_open_http_svc/get_group_member_info',
} as const;

/**
 * A group's own ErrorCode when it does not exist or was dissolved: "群组不存在，或者曾经存在过，但是目前已经被解散"
 * (https://web.sdk.qcloud.com/im/download/error-message/v3/0.0.4/tim-error-message.txt).
 */
export const groupNotFoundCode = 10010;

/** get_group_info takes at most 50 groups a request (CT/269/1616). */
export const groupInfoBatchSize = 50;
/** get_group_member_info: at most 200 a page, 100 recommended (CT/269/1617). */
export const memberPageSize = 100;
export const maxMemberPageSize = 200;

/** The preset group types (https://trtc.io/document/49471). */
export type GroupType = 'Private' | 'Public' | 'ChatRoom' | 'AVChatRoom' | 'Community' | (string & {});

/**
 * Skips a callback for this one message (both pages: "valid only for a single message"; "By default,
 * callback is initiated"). A canary that wants to see its message arrive as an after-callback must not
 * forbid `ForbidAfterSendMsgCallback`.
 */
export type ForbidCallback = 'ForbidBeforeSendMsgCallback' | 'ForbidAfterSendMsgCallback';

/** One element of a message body, e.g. `{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }`. */
export interface MessageElement {
  readonly MsgType: string;
  readonly MsgContent: Readonly<Record<string, unknown>>;
}

/** openim/sendmsg's request. MsgRandom is made by the client when left out (a uint32, required). */
export interface SendMsgRequest {
  readonly To_Account: string;
  readonly MsgBody: readonly MessageElement[];
  readonly From_Account?: string;
  /** 1: synchronised to the sender's devices; 2: not. */
  readonly SyncOtherMachine?: 1 | 2;
  /** Seconds the message is kept for offline receivers, at most 604800; 0: online only. */
  readonly MsgLifeTime?: number;
  readonly MsgSeq?: number;
  /** With MsgSeq and the body, what Tencent deduplicates on for 120 s: a retry keeps it. */
  readonly MsgRandom?: number;
  readonly ForbidCallbackControl?: readonly ForbidCallback[];
  readonly SendMsgControl?: readonly ('NoUnread' | 'NoLastMsg' | 'WithMuteNotifications')[];
  readonly CloudCustomData?: string;
  readonly OfflinePushInfo?: Readonly<Record<string, unknown>>;
}

/** group_open_http_svc/send_group_msg's request. Random is made by the client when left out. */
export interface SendGroupMsgRequest {
  readonly GroupId: string;
  readonly MsgBody: readonly MessageElement[];
  /** Two messages with the same Random within five minutes: the later is discarded. A retry keeps it. */
  readonly Random?: number;
  readonly From_Account?: string;
  readonly MsgPriority?: 'High' | 'Normal' | 'Low';
  readonly ForbidCallbackControl?: readonly ForbidCallback[];
  readonly OnlineOnlyFlag?: 0 | 1;
  readonly SendMsgControl?: readonly ('NoLastMsg' | 'NoUnread')[];
  readonly CloudCustomData?: string;
  readonly OfflinePushInfo?: Readonly<Record<string, unknown>>;
  readonly GroupAtInfo?: readonly Readonly<Record<string, unknown>>[];
}

/** get_group_info's optional filter: fields not named are not returned. */
export interface GroupInfoFilter {
  readonly GroupBaseInfoFilter?: readonly string[];
  readonly MemberInfoFilter?: readonly string[];
  readonly AppDefinedDataFilter_Group?: readonly string[];
  readonly AppDefinedDataFilter_GroupMember?: readonly string[];
}

export interface GroupMemberInfoRequest {
  readonly GroupId: string;
  readonly Limit?: number;
  /** Not for Community groups, which page with Next. */
  readonly Offset?: number;
  /** Community groups only: "" first, then the answer's Next, until it is "". */
  readonly Next?: string;
  readonly MemberInfoFilter?: readonly string[];
  readonly MemberRoleFilter?: readonly ('Owner' | 'Admin' | 'Member')[];
  readonly AppDefinedDataFilter_GroupMember?: readonly string[];
}

/** An account id: documented as a string, but some answers carry numbers. */
const account = v.union([v.string(), v.pipe(v.number(), v.transform(String))]);

export const SendMsgAnswerSchema = v.looseObject({ MsgTime: v.number(), MsgKey: v.string(), MsgId: v.optional(v.string()) });
export type SendMsgAnswer = v.InferOutput<typeof SendMsgAnswerSchema>;

export const SendGroupMsgAnswerSchema = v.looseObject({ MsgTime: v.number(), MsgSeq: v.number() });
export type SendGroupMsgAnswer = v.InferOutput<typeof SendGroupMsgAnswerSchema>;

export const GroupMemberSchema = v.looseObject({
  Member_Account: account,
  Role: v.optional(v.string()),
  JoinTime: v.optional(v.number()),
  MsgSeq: v.optional(v.number()),
  MsgFlag: v.optional(v.string()),
  LastSendMsgTime: v.optional(v.number()),
  ShutUpUntil: v.optional(v.number()),
  NameCard: v.optional(v.string()),
});
export type GroupMember = v.InferOutput<typeof GroupMemberSchema>;

/** One group of get_group_info's answer: its own ErrorCode is the real result. */
export const GroupInfoSchema = v.looseObject({
  GroupId: v.string(),
  ErrorCode: v.optional(v.number(), 0),
  ErrorInfo: v.optional(v.string(), ''),
  Type: v.optional(v.string()),
  Name: v.optional(v.string()),
  Owner_Account: v.optional(account),
  MemberNum: v.optional(v.number()),
  MaxMemberNum: v.optional(v.number()),
  MemberList: v.optional(v.array(GroupMemberSchema)),
});
export type GroupInfo = v.InferOutput<typeof GroupInfoSchema>;

export const GetGroupInfoAnswerSchema = v.looseObject({ GroupInfo: v.array(GroupInfoSchema) });

export const GroupMemberPageSchema = v.looseObject({
  MemberNum: v.optional(v.number()),
  MemberList: v.optional(v.array(GroupMemberSchema), []),
  /** Community groups: the cursor of the next page; "" when there is none. */
  Next: v.optional(v.string()),
});
export type GroupMemberPage = v.InferOutput<typeof GroupMemberPageSchema>;

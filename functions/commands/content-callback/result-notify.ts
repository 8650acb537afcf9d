import * as v from 'valibot';
import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { contentCallback, en, trtc } from './family.ts';

/**
 * `Scene`: C2C, C2CCustom, Group, GroupCustom, GroupInfo, GroupMemberInfo, RelationChain, UserInfo.
 * `ContactItem.ContactType` 1 is one-to-one (`To_Account`), 2 a group (`ToGroupId`). `MsgID` is the
 * MsgKey for one-to-one, the MsgSeq for groups (empty: blocked, or not delivered for another reason).
 * `CtxcbResult` 1 blocked, 0 passed; `CtxcbSuggestion` Block, Review or Normal.
 *
 * The pages disagree: `TextContent` is a String on the EN 1047/77840 and an Array of strings on its
 * ZH version, on 1047/78240 and in doocs, so both are accepted. `CtxcbSubLabel`, `CtxcbSubLabelDesc`
 * and `CtxcbLibName` are on 78240 only. No answer table is published: an after-callback.
 */
export const contentCallbackResultNotify = contentCallback.after('ContentCallback.ResultNotify', {
  summary: 'Cloud moderation judged a message or profile (by default only violations)',
  sources: [en(78240), trtc(78240), 'intl.cloud.tencent.com/zh/document/product/1047/77840'],
  fields: {
    Scene: optionalString,
    SdkAppId: optionalInteger,
    From_Account: optionalAccount,
    ContactItem: v.optional(v.looseObject({ ContactType: optionalInteger, To_Account: optionalAccount, ToGroupId: optionalString })),
    ContentType: optionalString,
    TextContent: v.optional(v.union([v.string(), v.array(v.string())])),
    FileURL: optionalString,
    MsgID: optionalString,
    CtxcbResult: optionalInteger,
    CtxcbRequestId: optionalString,
    CtxcbKeywords: v.optional(v.array(v.string())),
    CtxcbSuggestion: optionalString,
    CtxcbLabel: optionalString,
    CtxcbSubLabel: optionalString,
    CtxcbSubLabelDesc: optionalString,
    CtxcbLibName: optionalString,
    CloudCustomData: optionalString,
  },
  // A message is placed as it was sent: in its group, else on its receiver.
  subjects: { groupId: 'ContactItem.ToGroupId', accounts: { sender: 'From_Account', receiver: 'ContactItem.To_Account' }, place: 'receiver' },
  recordFields: { scene: 'Scene', suggestion: 'CtxcbSuggestion', label: 'CtxcbLabel' },
  example: {
    Scene: 'C2C',
    SdkAppId: 1400187352,
    From_Account: 'jared',
    ContactItem: { ContactType: 1, To_Account: 'Jonh' },
    ContentType: 'Text',
    TextContent: ['aaabbbccc', '1234567'],
    MsgID: '1434460578_4137340972_1661154487',
    CtxcbResult: 1,
    CtxcbRequestId: '241ed925-4c56-4357-95dd-1e6e7798f214',
    CtxcbKeywords: ['aaabbbccc'],
    CtxcbSuggestion: 'Review',
    CtxcbLabel: 'Sexy',
    CtxcbSubLabel: 'InsinuationPorn',
    CtxcbSubLabelDesc: 'XXXX',
    CtxcbLibName: 'test',
    CloudCustomData: 'aaabbbccc',
  },
});

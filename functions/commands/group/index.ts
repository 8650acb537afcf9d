import type { CommandDefinition } from '../definition.ts';
import { groupAfterChangeGroupOwner } from './after-change-group-owner.ts';
import { groupAfterCreateGroup } from './after-create-group.ts';
import { groupAfterCreateTopic } from './after-create-topic.ts';
import { groupAfterGroupAttrChanged } from './after-group-attr-changed.ts';
import { groupAfterGroupDestroyed } from './after-group-destroyed.ts';
import { groupAfterGroupFull } from './after-group-full.ts';
import { groupAfterGroupInfoChanged } from './after-group-info-changed.ts';
import { groupAfterGroupMsgExtension } from './after-group-msg-extension.ts';
import { groupAfterMemberExit } from './after-member-exit.ts';
import { groupAfterMemberFieldChanged } from './after-member-field-changed.ts';
import { groupAfterModifyMsg } from './after-modify-msg.ts';
import { groupAfterNewMemberJoin } from './after-new-member-join.ts';
import { groupAfterReadReceipt } from './after-read-receipt.ts';
import { groupAfterRecallMsg } from './after-recall-msg.ts';
import { groupAfterSendMsg } from './after-send-msg.ts';
import { groupAfterTopicDestroyed } from './after-topic-destroyed.ts';
import { groupAfterTopicInfoChanged } from './after-topic-info-changed.ts';
import { groupBeforeApplyJoinGroup } from './before-apply-join-group.ts';
import { groupBeforeCreateGroup } from './before-create-group.ts';
import { groupBeforeCreateTopic } from './before-create-topic.ts';
import { groupBeforeInviteJoinGroup } from './before-invite-join-group.ts';
import { groupBeforeSendMsg } from './before-send-msg.ts';
import { groupOnDailyGroupQuotaAlarm } from './on-daily-group-quota-alarm.ts';
import { groupOnMemberStateChange } from './on-member-state-change.ts';
import { groupSendMsgException } from './send-msg-exception.ts';

/**
 * The 24 group and topic callbacks of the ZH master list (269/1523, 269/1618), in its order, and the
 * message edit added since (269/129193).
 */
export const groupCommands: readonly CommandDefinition[] = [
  groupBeforeCreateGroup,
  groupAfterCreateGroup,
  groupBeforeApplyJoinGroup,
  groupBeforeInviteJoinGroup,
  groupAfterNewMemberJoin,
  groupAfterMemberExit,
  groupBeforeSendMsg,
  groupAfterSendMsg,
  groupAfterGroupFull,
  groupAfterGroupDestroyed,
  groupAfterGroupInfoChanged,
  groupOnMemberStateChange,
  groupSendMsgException,
  groupAfterRecallMsg,
  groupBeforeCreateTopic,
  groupAfterCreateTopic,
  groupAfterTopicDestroyed,
  groupAfterTopicInfoChanged,
  groupAfterMemberFieldChanged,
  groupAfterGroupAttrChanged,
  groupAfterReadReceipt,
  groupAfterChangeGroupOwner,
  groupOnDailyGroupQuotaAlarm,
  groupAfterGroupMsgExtension,
  groupAfterModifyMsg,
];

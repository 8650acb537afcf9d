import { optionalAccount } from '../fields.ts';
import { en, group } from './family.ts';

/** With admin approval required, a request still needs approval when the callback allows it. */
export const groupBeforeApplyJoinGroup = group.before('Group.CallbackBeforeApplyJoinGroup', {
  summary: 'A user asks to join a group (the policy decides)',
  sources: [en(34370)],
  fields: { Requestor_Account: optionalAccount },
  subjects: { accounts: { requestor: 'Requestor_Account' }, actor: 'requestor' },
  example: {
    CallbackCommand: 'Group.CallbackBeforeApplyJoinGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Requestor_Account: 'jared',
    EventTime: 1670574414123,
  },
});

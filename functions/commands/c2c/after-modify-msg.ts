import { optionalAccount } from '../fields.ts';
import { c2c, zh } from './family.ts';
import { c2cMessageFields, c2cMessageSubjects } from './message-fields.ts';

/**
 * New in 2026 (269/128224): the edited message as delivered, and who edited it (a user, or an admin
 * through the REST API): the `operator` acted. `MsgTime` is the message's, not the edit's. No answer
 * table is published: an after-callback.
 */
export const c2cAfterModifyMsg = c2c.after('C2C.CallbackAfterModifyMsg', {
  summary: 'A one-to-one message was edited',
  sources: [zh(128224)],
  fields: { ...c2cMessageFields, Operator_Account: optionalAccount },
  subjects: { accounts: { ...c2cMessageSubjects.accounts, operator: 'Operator_Account' }, actor: 'operator' },
  example: {
    CallbackCommand: 'C2C.CallbackAfterModifyMsg',
    Operator_Account: 'jared',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgRandom: 690,
    MsgSeq: 609,
    MsgTime: 1769771529,
    MsgKey: '609_690_1769771529',
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'edited' } }],
    CloudCustomData: '1769772027',
    EventTime: 1769772027036,
  },
});

import * as v from 'valibot';
import { afterCallback } from './command-definition.ts';
import { groupEventFields, memberList, optionalAccount, optionalString, userDefinedDataList } from './fields.ts';

/** Sources: G-34369 (EN, with `EventTime` as a string), G-1663 (ZH, as a number), seed 001. */
export const groupAfterCreateGroup = afterCallback(
  'A group was created',
  v.looseObject({
    ...groupEventFields,
    Owner_Account: optionalAccount,
    Name: optionalString,
    // Only the ZH copy of the intl site shows these two.
    Introduction: optionalString,
    Notification: optionalString,
    MemberList: v.optional(memberList),
    UserDefinedDataList: v.optional(userDefinedDataList),
  }),
);

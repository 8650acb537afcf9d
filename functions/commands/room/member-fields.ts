import * as v from 'valibot';
import { accountOrNumber, optionalInteger, optionalString } from '../fields.ts';

/** Who entered or left (`MemberList_Account`), how (`Type`), and how many are in the room now. */
export const memberChangeFields = { MemberCount: optionalInteger, Type: optionalString, MemberList_Account: v.optional(v.array(accountOrNumber)) };

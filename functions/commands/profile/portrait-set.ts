import * as v from 'valibot';
import { optionalString } from '../fields.ts';
import { en, profile, trtc } from './family.ts';

/**
 * The page types `ProfileItem[].Value` "uint32/string": a number for the integer tags (`Tag_Profile_IM_BirthDay`,
 * `Tag_Profile_IM_Level`, integer custom fields), a string otherwise. Both are kept as they come.
 */
export const profilePortraitSet = profile.after('Profile.CallbackPortraitSet', {
  summary: "A user's profile was changed",
  sources: [en(48733), trtc(48733)],
  fields: { ProfileItem: v.optional(v.array(v.looseObject({ Tag: optionalString, Value: v.optional(v.union([v.number(), v.string()])) }))) },
  example: {
    CallbackCommand: 'Profile.CallbackPortraitSet',
    Operator_Account: 'id1',
    From_Account: 'id1',
    EventTime: 1656921052497,
    ProfileItem: [
      { Tag: 'Tag_Profile_IM_Nick', Value: 'nick1' },
      { Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_Male' },
    ],
  },
});

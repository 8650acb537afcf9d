import * as v from 'valibot';
import { afterCallback } from './command-definition.ts';
import { groupEventFields, optionalAccount, optionalString, userDefinedDataList } from './fields.ts';

/** Sources: G-49464, G-78207, seeds 000 and 004. No version sends `EventTime`. */
export const groupAfterCreateTopic = afterCallback(
  'A topic was created',
  v.looseObject({
    ...groupEventFields,
    TopicId: optionalString,
    Owner_Account: optionalAccount,
    Name: optionalString,
    UserDefinedDataList: v.optional(userDefinedDataList),
  }),
);

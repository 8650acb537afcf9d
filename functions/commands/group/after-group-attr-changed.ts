import * as v from 'valibot';
import { optionalString } from '../fields.ts';
import { en, group } from './family.ts';

/** `OptionType` is set, modify, clear or delete; `GroupAttr` uses lower-case `key`/`value`. */
export const groupAfterGroupAttrChanged = group.after('Group.CallbackAfterGroupAttrChanged', {
  summary: "A group's attributes were set, changed, deleted or cleared",
  sources: [en(60394)],
  fields: { OptionType: optionalString, GroupAttr: v.optional(v.array(v.looseObject({ key: optionalString, value: optionalString }))) },
  example: { CallbackCommand: 'Group.CallbackAfterGroupAttrChanged', GroupId: '@TGS#2J4SZEAEL', Type: 'Public', Operator_Account: 'leckie', OptionType: 'set', GroupAttr: [{ key: 'key1', value: 'value1' }], EventTime: '1670574414123' },
});

import * as v from 'valibot';
import { readPath } from '../field-path.ts';
import { optionalString } from '../fields.ts';
import type { StateChange } from '../projection.ts';
import { en, group } from './family.ts';

/** `OptionType` is set, modify, clear or delete; `GroupAttr` uses lower-case `key`/`value`. */
export const groupAfterGroupAttrChanged = group.after('Group.CallbackAfterGroupAttrChanged', {
  summary: "A group's attributes were set, changed, deleted or cleared",
  sources: [en(60394)],
  fields: { OptionType: optionalString, GroupAttr: v.optional(v.array(v.looseObject({ key: optionalString, value: optionalString }))) },
  // `set` replaces every attribute (Tencent's set_group_attr resets them), `modify` adds or changes
  // the listed ones, `delete` removes them, `clear` removes all.
  projection: (body) => {
    const option = body.OptionType;
    const pairs = readPath(body, 'GroupAttr[]').flatMap((pair) => {
      const { key, value } = pair as { key?: unknown; value?: unknown };
      return typeof key === 'string' && key !== '' ? [[key, option === 'delete' ? null : typeof value === 'string' ? value : null] as const] : [];
    });
    const change: StateChange | undefined =
      option === 'clear'
        ? { on: 'attributes', reset: true }
        : option === 'set'
          ? { on: 'attributes', reset: true, set: Object.fromEntries(pairs) }
          : option === 'modify' || option === 'delete'
            ? { on: 'attributes', set: Object.fromEntries(pairs) }
            : undefined;
    return change === undefined ? [] : [change];
  },
  example: {
    CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    OptionType: 'set',
    GroupAttr: [{ key: 'key1', value: 'value1' }],
    EventTime: '1670574414123',
  },
});

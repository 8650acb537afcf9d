import { en, group } from './family.ts';

/** `EventTime` appears only in newer copies. */
export const groupAfterGroupFull = group.after('Group.CallbackAfterGroupFull', {
  summary: 'A group reached its member limit',
  sources: [en(34376)],
  fields: {},
  example: { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#2J4SZEAEL', EventTime: '1670574414123' },
});

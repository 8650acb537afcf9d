import { describe, expect, test } from '@jest/globals';
import { setField, triggerBody } from '../../cli/trigger-body.ts';
import { commandRegistry } from '../../functions/commands/registry.ts';

const NOW = Date.UTC(2026, 11, 1);

describe("trigger's body", () => {
  test("the definition's example at now, with each --set applied in order", () => {
    const example = commandRegistry.get('Group.CallbackAfterCreateGroup')!.example;
    expect(triggerBody('Group.CallbackAfterCreateGroup', ['GroupId=@TGS#mine', 'Name=a=b'], NOW)).toEqual({
      ...example,
      GroupId: '@TGS#mine',
      Name: 'a=b',
      EventTime: NOW,
    });
  });

  test("a value takes the example's type at its place; a new field takes JSON, else text", () => {
    const body = { GroupId: '@TGS#g', MemberNum: 3, Muted: false, List: [{ Member_Account: 'a' }] };
    expect(setField(body, 'GroupId=123')).toMatchObject({ GroupId: '123' });
    expect(setField(body, 'MemberNum=7')).toMatchObject({ MemberNum: 7 });
    expect(setField(body, 'Muted=true')).toMatchObject({ Muted: true });
    expect(setField(body, 'List.0.Member_Account=zed')).toMatchObject({ List: [{ Member_Account: 'zed' }] });
    expect(setField(body, 'List.1.Member_Account=new')).toMatchObject({ List: [{ Member_Account: 'a' }, { Member_Account: 'new' }] });
    expect(setField(body, 'Tags=["x"]')).toMatchObject({ Tags: ['x'] });
    expect(setField(body, 'Note=plain text')).toMatchObject({ Note: 'plain text' });
    expect(setField(body, 'Deep.Er=1')).toMatchObject({ Deep: { Er: 1 } });
    // The original is left as it was.
    expect(body.GroupId).toBe('@TGS#g');
  });

  test('what cannot be set is said, naming the field', () => {
    expect(() => setField({ MemberNum: 3 }, 'MemberNum=many')).toThrow('--set MemberNum=many: MemberNum is a number in the example');
    expect(() => setField({ Muted: false }, 'Muted=yes')).toThrow('Muted is true or false in the example');
    expect(() => setField({ GroupId: 'g' }, 'GroupId.Inner=1')).toThrow('GroupId is not an object in the example');
    expect(() => setField({}, 'NoEquals')).toThrow('give Field=value');
  });

  test('a command not in the registry names the one meant', () => {
    expect(() => triggerBody('Group.CallbackAfterCreatGroup', [])).toThrow('did you mean Group.CallbackAfterCreateGroup?');
    expect(() => triggerBody('Nothing.Like.It', [])).toThrow(/^"Nothing\.Like\.It" is not a command of the registry \(/);
  });
});

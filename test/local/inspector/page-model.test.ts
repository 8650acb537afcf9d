import { describe, expect, test } from '@jest/globals';
import type { LiveCallback, LiveRecord, StoredCallback, StoredRecord } from '../../../local/inspector/inspector-types.ts';
import { CallbackModel, checkOf, checkTitle, subjectsOf } from '../../../local/inspector/page/model.ts';

const request = (id: string, at: number) => ({
  id,
  at,
  method: 'POST',
  path: '/callback',
  query: [],
  body: '{}',
  bodyClipped: false,
  bodyBytes: 2,
  replayable: true,
  curl: '',
});
/** Rows as the server sends them, typed as it types them: a field the record does not have fails the type check. */
const live = (id: string, record: Partial<LiveRecord>, at = 1): LiveCallback => ({
  ...request(id, at),
  source: 'live',
  answer: { status: 200, body: '{}' },
  record: { level: 'INFO', outcome: 'stored', status: 200, durationMs: 1, coldStart: false, requestId: id, ...record },
});
const stored = (eventId: string, record: Partial<StoredRecord> = {}): StoredCallback => ({
  ...request(`event:${eventId}`, 1),
  source: 'stored',
  record: { outcome: 'stored', eventId, command: 'Group.X', kind: 'after', sdkAppId: '1400000000', receivedAt: 1, valid: true, expiresAt: 2, ...record },
});

describe("the page's list of callbacks", () => {
  test('one row per event: the table news first, then the live callback, replaces it', () => {
    const model = new CallbackModel();
    model.add(stored('e1'));
    model.add(live('r1', { outcome: 'stored', eventId: 'e1' }));
    expect(model.all().map((row) => row.id)).toEqual(['r1']);
  });

  test('an event read back from the table after its live callback is not a second row', () => {
    const model = new CallbackModel();
    model.add(live('r1', { outcome: 'stored', eventId: 'e1' }));
    model.add(stored('e1'));
    model.add(live('r1', { outcome: 'stored', eventId: 'e1' }));
    expect(model.size).toBe(1);
  });

  test('a queued callback whose event reaches the table later says so', () => {
    const model = new CallbackModel();
    const queued = live('r1', { outcome: 'queued', eventId: 'e1' });
    model.add(queued);
    expect(model.reachedTableLater(queued)).toBe(false);
    model.add(stored('e1'));
    expect(model.reachedTableLater(queued)).toBe(true);
  });

  test('newest first; filters by command, outcome and any of the ids, whatever fields the record has', () => {
    const model = new CallbackModel();
    model.add(live('a', { outcome: 'refused', command: 'Group.X', groupId: '@TGS#g1' }, 1));
    model.add(live('b', { outcome: 'dropped', command: 'Group.Y', user: 'Alice' }, 3));
    model.add(live('c', { outcome: 'rejected', status: 401 }, 2));
    expect(model.all().map((row) => row.id)).toEqual(['b', 'c', 'a']);
    expect(model.matching({ command: 'Group.X', outcome: '', subject: '' }).map((row) => row.id)).toEqual(['a']);
    expect(model.matching({ command: '', outcome: 'dropped', subject: '' }).map((row) => row.id)).toEqual(['b']);
    expect(model.matching({ command: '', outcome: '', subject: 'alice' }).map((row) => row.id)).toEqual(['b']);
    expect([...model.outcomes].sort()).toEqual(['dropped', 'refused', 'rejected']);
  });

  test('"group or user" finds the accounts a record shows beside its subjects: an operator, a sender', () => {
    const model = new CallbackModel();
    model.add(live('op', { command: 'Group.CallbackBeforeCreateGroup', kind: 'before', fields: { operator: 'Leckie' } }));
    model.add(live('sender', { command: 'Group.CallbackAfterSendMsg', groupId: '@TGS#g', user: 'ann', fields: { sender: 'ann', operator: 'bob' } }, 2));
    model.add(stored('e9', { groupId: '@TGS#stored', user: 'cy' }));
    expect(model.matching({ command: '', outcome: '', subject: 'leckie' }).map((row) => row.id)).toEqual(['op']);
    expect(model.matching({ command: '', outcome: '', subject: 'bob' }).map((row) => row.id)).toEqual(['sender']);
    expect(model.matching({ command: '', outcome: '', subject: 'cy' }).map((row) => row.id)).toEqual(['event:e9']);
    // The list's group/user column: the subject first.
    expect(subjectsOf(model.get('sender')!)[0]).toBe('@TGS#g');
  });
});

describe('which rows are marked (docs/commands.md#unknown)', () => {
  test.each([
    [
      'a live unknown after-event',
      live('a', { kind: 'unregistered', unknownCommand: true, nearest: 'Group.CallbackAfterCreateGroup' }),
      'unregistered',
      'unknown command: nearest Group.CallbackAfterCreateGroup',
    ],
    ['a live unknown before-callback, allowed', live('b', { outcome: 'allowed', kind: 'before', unknownCommand: true }), 'unregistered', 'unknown command'],
    ['an unregistered event read back from the table', stored('e1', { kind: 'unregistered' }), 'unregistered', 'unknown command'],
    ['a live invalid event', live('c', { kind: 'after', valid: false }), 'invalid', 'invalid: failed its schema'],
    ['an invalid event from the table', stored('e2', { valid: false, problems: 'GroupId: expected string' }), 'invalid', 'invalid: GroupId: expected string'],
    ['a valid event', live('d', { kind: 'after', valid: true }), undefined, undefined],
    ['a rejected request', live('e', { outcome: 'rejected', status: 401 }), undefined, undefined],
  ])('%s: %s', (_case, callback, check, title) => {
    expect([checkOf(callback), checkTitle(callback)]).toEqual([check, title]);
  });
});

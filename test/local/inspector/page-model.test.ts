import { describe, expect, test } from '@jest/globals';
import type { DeployedCallback, DeployedRecord, LiveCallback, LiveRecord, StoredCallback, StoredRecord } from '../../../local/inspector/inspector-types.ts';
import { CallbackModel, marksOf, markTitle, subjectsOf } from '../../../local/inspector/page/model.ts';

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
  headers: [],
  answer: { status: 200, body: '{}' },
  record: { level: 'INFO', outcome: 'stored', status: 200, durationMs: 1, coldStart: false, requestId: id, ...record },
});
const stored = (eventId: string, record: Partial<StoredRecord> = {}): StoredCallback => ({
  ...request(`event:${eventId}`, 1),
  source: 'stored',
  record: { outcome: 'stored', eventId, command: 'Group.X', kind: 'after', sdkAppId: '1400000000', receivedAt: 1, valid: true, expiresAt: 2, ...record },
});

const deployed = (eventId: string, record: Partial<DeployedRecord> = {}): DeployedCallback => ({
  ...request(`deployed:${eventId}`, 1),
  source: 'deployed',
  record: {
    outcome: 'published',
    eventId,
    command: 'Group.X',
    kind: 'after',
    sdkAppId: '1400000000',
    receivedAt: 1,
    publicationId: 'p',
    account: '1',
    region: 'r',
    time: 't',
    ...record,
  },
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

  test('search finds text in the body, the command, the ids and the event id, in any case', () => {
    const model = new CallbackModel();
    model.add({ ...live('a', { command: 'Group.X', groupId: '@TGS#g1' }), body: '{"Text":"Hello Needle"}' });
    model.add(live('b', { command: 'Group.Y', eventId: 'feedface' }, 2));
    const found = (text: string) => model.matching({ command: '', outcome: '', subject: '', text }).map((row) => row.id);
    expect(found('needle')).toEqual(['a']);
    expect(found('GROUP.y')).toEqual(['b']);
    expect(found('FEEDF')).toEqual(['b']);
    expect(found('tgs#g1')).toEqual(['a']);
    expect(found('')).toEqual(['b', 'a']);
  });

  test('marks: invalid and unregistered stored events, probes among live requests', () => {
    expect(marksOf(stored('e1', { valid: false, problems: 'GroupId: must be a string' }))).toEqual(['invalid']);
    expect(marksOf(stored('e2', { kind: 'unregistered' }))).toEqual(['unregistered']);
    expect(marksOf(live('p1', { outcome: 'rejected', status: 404, reason: 'route-not-found' }))).toEqual(['probe']);
    expect(marksOf(live('p2', { outcome: 'rejected', status: 400 }))).toEqual(['probe']);
    expect(marksOf(live('ok', { command: 'Group.X', kind: 'after', valid: true }))).toEqual([]);
    // A before-callback with no definition, allowed (docs/commands.md#unknown): its tag names the nearest command.
    const typo = live('t1', {
      outcome: 'allowed',
      command: 'Group.CallbackBeforeSendMessage',
      kind: 'before',
      unknownCommand: true,
      nearest: 'Group.CallbackBeforeSendMsg',
    });
    expect(marksOf(typo)).toEqual(['unregistered']);
    expect(markTitle(typo, 'unregistered')).toBe('unknown command: nearest Group.CallbackBeforeSendMsg');
    expect(markTitle(stored('e3', { kind: 'unregistered' }), 'unregistered')).toBe('unknown command');
    expect(marksOf(live('c1', { outcome: 'probe', command: 'Group.CallbackAfterCreateGroup' }))).toEqual(['probe']);
    expect(marksOf(live('refused', { outcome: 'rejected', status: 403, reason: 'unknown-sdkappid', command: 'Group.X' }))).toEqual([]);
  });

  test('a bulk load of one command does not push the newest of another out of the page', () => {
    const model = new CallbackModel();
    model.add(live('lone', { command: 'Group.CallbackBeforeCreateTopic', outcome: 'refused' }, 0));
    for (let n = 1; n <= 1100; n++) model.add(live(`bulk-${n}`, { command: 'Group.CallbackAfterCreateGroup' }, n));
    expect(model.size).toBe(1000);
    expect(model.get('lone')).toBeDefined();
    expect(model.get('bulk-1')).toBeUndefined();
    expect(model.get('bulk-1100')).toBeDefined();
  });

  test("a deployed event is a row of its own: never merged with the local table's event of the same id, never given its deliveries", () => {
    const model = new CallbackModel();
    model.add(live('r1', { outcome: 'stored', eventId: 'e1' }));
    model.add(deployed('e1', { groupId: '@TGS#deployed', user: 'ann' }));
    model.add(stored('e1'));
    model.setDeliveries('e1', [
      { target: 'http://x', state: 'delivered', attempts: 1, lastResult: 'HTTP 200', firstAttemptAt: 1, lastAttemptAt: 1, deliveredAt: 1 },
    ]);
    expect(
      model
        .all()
        .map((row) => row.id)
        .sort(),
    ).toEqual(['deployed:e1', 'r1']);
    expect(model.deliveriesOf(model.get('deployed:e1')!)).toBeUndefined();
    expect(model.reachedTableLater(model.get('deployed:e1')!)).toBe(false);
    // Delivered twice by the bus (at least once): one row.
    model.add(deployed('e1'));
    expect(model.size).toBe(2);
    // The filters see its detail: its outcome, its command, its subjects.
    expect(model.matching({ command: '', outcome: 'published', subject: '' }).map((row) => row.id)).toEqual(['deployed:e1']);
    expect(model.matching({ command: '', outcome: '', subject: 'ann' }).map((row) => row.id)).toEqual(['deployed:e1']);
    expect(marksOf(deployed('e2', { kind: 'unregistered' }))).toEqual(['unregistered']);
  });
});

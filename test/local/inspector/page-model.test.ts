import { describe, expect, test } from '@jest/globals';
import type { InspectedCallback } from '../../../local/inspector/inspector-types.ts';
import { CallbackModel } from '../../../local/inspector/page/model.ts';

const callback = (id: string, source: 'live' | 'stored', record: Record<string, unknown>, at = 1): InspectedCallback => ({
  id,
  source,
  at,
  method: 'POST',
  path: '/callback',
  query: [],
  body: '{}',
  bodyClipped: false,
  bodyBytes: 2,
  record,
  replayable: true,
  curl: '',
});
const live = (id: string, record: Record<string, unknown>, at?: number) => callback(id, 'live', record, at);
const stored = (eventId: string, record: Record<string, unknown> = {}) => callback(`event:${eventId}`, 'stored', { outcome: 'stored', eventId, ...record });

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
});

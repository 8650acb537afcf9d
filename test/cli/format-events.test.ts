import { describe, expect, test } from '@jest/globals';
import { eventsAsJsonLines, eventsAsTable, tableWriter } from '../../cli/format-events.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { seedCallbacks } from '../fixtures/seed-callbacks.ts';

const createGroup: StoredEvent = {
  eventId: '0123456789abcdef0123456789abcdef',
  command: 'Group.CallbackAfterCreateGroup',
  kind: 'after',
  sdkAppId: '1400000000',
  groupId: '@TGS#2J4SZEAEL',
  eventTime: 1670574414123,
  receivedAt: 1700000000000,
  clientIp: '10.1.2.3',
  optPlatform: 'RESTAPI',
  payload: seedCallbacks['Group.CallbackAfterCreateGroup'],
  valid: true,
  expiresAt: 1707776000,
};

/** No group, no topic, no EventTime, failed its schema. */
const stateChange: StoredEvent = {
  eventId: 'fedcba9876543210fedcba9876543210',
  command: 'State.StateChange',
  kind: 'after',
  sdkAppId: '1400000001',
  receivedAt: 1700000000000,
  user: 'bob',
  payload: '{"CallbackCommand":"State.StateChange","Info":{"To_Account":"bob"}}',
  valid: false,
  problems: 'Info: expected string',
  expiresAt: 1707776000,
};

const createTopic: StoredEvent = {
  eventId: '00000000000000000000000000000001',
  command: 'Group.CallbackAfterCreateTopic',
  kind: 'after',
  sdkAppId: '1400000000',
  groupId: '@TGS#2J4SZEAEL',
  topicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5',
  receivedAt: 1700000001000,
  payload: seedCallbacks['Group.CallbackAfterCreateTopic'],
  valid: true,
  expiresAt: 1707776001,
};

/** A typo in a test request: stored as received, schema-free. */
const typo: StoredEvent = {
  eventId: 'abcdefabcdefabcdefabcdefabcdefab',
  command: 'Group.CallbackAfterCreatGroup',
  kind: 'unregistered',
  sdkAppId: '1400000000',
  receivedAt: 1700000002000,
  payload: '{"CallbackCommand":"Group.CallbackAfterCreatGroup","GroupId":"@TGS#1"}',
  valid: true,
  expiresAt: 1707776002,
};

/** A command Tencent may add one day: no registered name is near it. */
const newCommand: StoredEvent = { ...typo, eventId: 'abcdefabcdefabcdefabcdefabcdef00', command: 'Wallet.CallbackAfterPay', payload: '{}' };

describe('eventsAsJsonLines', () => {
  const lines = eventsAsJsonLines([createGroup, stateChange, createTopic]).split('\n');

  test('writes one JSON object per line, in the given order', () => {
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => JSON.parse(line).eventId)).toEqual([createGroup.eventId, stateChange.eventId, createTopic.eventId]);
  });

  test('carries the event fields and the payload parsed back into JSON', () => {
    expect(JSON.parse(lines[0]!)).toMatchObject({
      eventId: '0123456789abcdef0123456789abcdef',
      command: 'Group.CallbackAfterCreateGroup',
      sdkAppId: '1400000000',
      groupId: '@TGS#2J4SZEAEL',
      topicId: null,
      eventTime: 1670574414123,
      receivedAt: 1700000000000,
      valid: true,
      payload: {
        CallbackCommand: 'Group.CallbackAfterCreateGroup',
        GroupId: '@TGS#2J4SZEAEL',
        MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }],
        EventTime: '1670574414123',
      },
    });
    expect(JSON.parse(lines[2]!)).toMatchObject({ topicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5', eventTime: null });
  });

  test('writes null for absent fields rather than leaving them out', () => {
    const line = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(line).toMatchObject({ groupId: null, topicId: null, eventTime: null, valid: false, problems: 'Info: expected string', user: 'bob' });
    expect(Object.keys(line)).toEqual(expect.arrayContaining(['groupId', 'topicId', 'eventTime']));
    expect(JSON.parse(lines[0]!)).toMatchObject({ user: null });
  });

  test('names the nearest registered command of an unregistered one, and null for every other', () => {
    const nearest = eventsAsJsonLines([typo, newCommand, createGroup])
      .split('\n')
      .map((line) => JSON.parse(line).nearest);
    expect(nearest).toEqual(['Group.CallbackAfterCreateGroup', null, null]);
  });

  test('keeps a payload that is not JSON as its text', () => {
    const [line] = eventsAsJsonLines([{ ...stateChange, payload: 'not json {' }]).split('\n');
    expect(JSON.parse(line!).payload).toBe('not json {');
  });

  test('keeps a multi-line payload on one line', () => {
    expect(eventsAsJsonLines([createGroup])).not.toContain('\n');
  });

  test('writes nothing for no events', () => {
    expect(eventsAsJsonLines([])).toBe('');
  });
});

describe('eventsAsTable', () => {
  const table = eventsAsTable([createGroup, stateChange, createTopic]);
  const rows = table.split('\n');

  test('has a header and one row per event', () => {
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^TIME \(UTC\) +COMMAND +GROUP +TOPIC +USER +EVENT ID +CHECK$/);
  });

  test('shows the EventTime, else the arrival time, in ISO form', () => {
    expect(rows[1]).toMatch(/^2022-12-09T08:26:54\.123Z {2}/);
    expect(rows[2]).toMatch(/^2023-11-14T22:13:20\.000Z {2}/);
  });

  test('shows the command, group, topic, user, a short event id and validity', () => {
    expect(rows[1]!.split(/ {2,}/)).toEqual([
      '2022-12-09T08:26:54.123Z',
      'Group.CallbackAfterCreateGroup',
      '@TGS#2J4SZEAEL',
      '-',
      '-',
      '0123456789ab',
      'valid',
    ]);
    expect(rows[2]!.split(/ {2,}/)).toEqual([
      '2023-11-14T22:13:20.000Z',
      'State.StateChange',
      '-',
      '-',
      'bob',
      'fedcba987654',
      'invalid: Info: expected string',
    ]);
  });

  test('says an unregistered command is unknown, with the registered name it is nearest to, apart from valid and invalid', () => {
    const [, typoRow, newRow] = eventsAsTable([typo, newCommand]).split('\n');
    expect(typoRow!.split(/ {2,}/).at(-1)).toBe('unregistered: unknown command, nearest Group.CallbackAfterCreateGroup');
    expect(newRow!.split(/ {2,}/).at(-1)).toBe('unregistered: unknown command');
  });

  test('aligns the columns: every column starts at the same offset in every row', () => {
    const starts = (row: string) => [...row.matchAll(/(?:^| {2})(\S)/g)].map((match) => match.index! + match[0].length - 1);
    const header = starts(rows[0]!.replace('TIME (UTC)', 'TIME_(UTC)').replace('EVENT ID', 'EVENT_ID'));
    expect(header).toHaveLength(7);
    for (const row of rows.slice(1)) expect(starts(row.replace('invalid: Info: expected string', 'invalid:_Info:_expected_string'))).toEqual(header);
  });

  test('leaves no trailing spaces', () => {
    for (const row of rows) expect(row).toBe(row.trimEnd());
  });

  test('says so when there are no events', () => {
    expect(eventsAsTable([])).toBe('No events stored yet.');
  });
});

describe('tableWriter, for a listing printed page by page', () => {
  test('prints the header once, with the first page', () => {
    const write = tableWriter();
    const first = write([createGroup]).split('\n');
    const second = write([createTopic]).split('\n');
    expect(first[0]).toMatch(/^TIME \(UTC\) /);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatch(/^2023-11-14T22:13:21\.000Z {2}Group\.CallbackAfterCreateTopic/);
  });

  test('keeps the columns of earlier pages where later cells fit', () => {
    const write = tableWriter();
    const [header] = write([createTopic]).split('\n');
    const [row] = write([createGroup]).split('\n');
    expect(row!.indexOf('@TGS#2J4SZEAEL')).toBe(header!.indexOf('GROUP'));
  });
});

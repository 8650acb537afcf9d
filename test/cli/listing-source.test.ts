import { describe, expect, test } from '@jest/globals';
import { describeFilter, describeSource, emptyListingMessage } from '../../cli/listing-source.ts';

const local = { type: 'local', dataDir: '.data' } as const;
const deployed = { type: 'table', tableName: 'Test-EventsD32975C2-ABC', region: 'eu-west-1' } as const;

describe('which store a listing read', () => {
  test('the local store, by its directory', () => {
    expect(describeSource(local)).toBe('the local store at .data/');
    expect(describeSource({ type: 'local', dataDir: '/tmp/x/' })).toBe('the local store at /tmp/x/');
  });

  test('a deployed table, by its name and region', () => {
    expect(describeSource(deployed)).toBe('table Test-EventsD32975C2-ABC in eu-west-1');
    expect(describeSource({ type: 'table', tableName: 'T' })).toBe("table T in the AWS SDK's default region");
  });
});

describe('why a listing is empty', () => {
  test('names the group and the store', () => {
    expect(emptyListingMessage({ groupId: 'X' }, local)).toMatch(/^No events for group X in the local store at \.data\/\. /);
  });

  test('names every filter, the times in UTC', () => {
    const filter = {
      groupId: '@g',
      command: 'C2C.CallbackAfterSendMsg',
      user: 'alice',
      app: '1400000000',
      since: Date.UTC(2026, 11, 1, 9),
      until: Date.UTC(2026, 11, 1, 10),
    };
    expect(describeFilter(filter)).toBe(
      'for group @g, command C2C.CallbackAfterSendMsg, user alice, app 1400000000 since 2026-12-01T09:00:00.000Z before 2026-12-01T10:00:00.000Z',
    );
    expect(emptyListingMessage(filter, deployed)).toContain(
      'No events for group @g, command C2C.CallbackAfterSendMsg, user alice, app 1400000000 since 2026-12-01T09:00:00.000Z before 2026-12-01T10:00:00.000Z in table Test-EventsD32975C2-ABC in eu-west-1.',
    );
  });

  test('an unfiltered listing of an empty store says none is stored yet', () => {
    expect(emptyListingMessage({}, local)).toMatch(/^No events stored yet in the local store at \.data\/\. Events arrive while `npm start` runs/);
  });

  test('a deployed table says where events stored before the third key design are', () => {
    expect(emptyListingMessage({ command: 'C' }, deployed)).toContain(
      'in the table of the earlier design until copied: npm run events -- --stack NAME lists them too, npm run events -- --migrate --stack NAME copies them (docs/key-design.md#moving-a-deployed-table)',
    );
  });

  test('a time window alone reads naturally', () => {
    expect(describeFilter({ since: Date.UTC(2026, 0, 1) })).toBe('since 2026-01-01T00:00:00.000Z');
  });
});

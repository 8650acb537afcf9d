import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { eventsUsage, parseEventsOptions } from '../../cli/events-options.ts';
import { MAX_SEGMENTS } from '../../functions/store/migrate-events.ts';
import { testSeed } from '../support/seed.ts';

describe('parseEventsOptions', () => {
  test('defaults to the 20 newest events, as a table', () => {
    expect(parseEventsOptions([])).toEqual({ limit: 20, json: false, backfill: false, follow: false });
  });

  test('reads every option', () => {
    expect(
      parseEventsOptions([
        '--group',
        '@TGS#2J4SZEAEL',
        '--command',
        'Group.CallbackAfterCreateGroup',
        '--user',
        'alice',
        '--since',
        '2026-12-01T09:00:00Z',
        '--until',
        '2026-12-01T10:00:00.500Z',
        '--limit',
        '5',
        '--json',
        '--table',
        'Events-123',
        '--region',
        'ap-singapore-1',
        '--app',
        '1400000000',
      ]),
    ).toEqual({
      group: '@TGS#2J4SZEAEL',
      command: 'Group.CallbackAfterCreateGroup',
      user: 'alice',
      since: Date.UTC(2026, 11, 1, 9),
      until: Date.UTC(2026, 11, 1, 10, 0, 0, 500),
      limit: 5,
      json: true,
      table: 'Events-123',
      region: 'ap-singapore-1',
      app: '1400000000',
      backfill: false,
      follow: false,
    });
  });

  test('accepts --name=value', () => {
    expect(parseEventsOptions(['--limit=3', '--group=@g'])).toMatchObject({ limit: 3, group: '@g' });
  });

  test.each([
    ['1', 1],
    ['10000', 10_000],
    ['1000000', 1_000_000],
    ['all', Number.POSITIVE_INFINITY],
  ])('--limit %s is accepted: no ceiling, the listing streams', (limit, expected) => {
    expect(parseEventsOptions(['--limit', limit]).limit).toBe(expected);
  });

  test.each([
    ['0', />=1/],
    ['99999999999999999999', /safe integer/],
    ['x', /must be a whole number or "all"/],
    ['-1', /must be a whole number/],
    ['2.5', /must be a whole number/],
    ['', /must be a whole number/],
  ])('--limit %j is rejected with a message naming --limit', (limit, detail) => {
    const parse = () => parseEventsOptions([`--limit=${limit}`]);
    expect(parse).toThrow(/^--limit: /);
    expect(parse).toThrow(detail);
  });

  test('--app must be a number', () => {
    expect(() => parseEventsOptions(['--app', 'my-app'])).toThrow('--app: an SDKAppID is a number such as 1400000000');
    expect(() => parseEventsOptions(['--app', '0140000000'])).toThrow('--app: an SDKAppID is a number such as 1400000000');
  });

  test.each([['--group'], ['--command'], ['--user'], ['--table']])('%s may not be empty', (flag) => {
    expect(() => parseEventsOptions([`${flag}=`])).toThrow(new RegExp(`^${flag}: `));
  });

  test.each([
    ['an unknown flag', ['--limt', '5']],
    ['a short flag', ['-l', '5']],
    ['a positional argument', ['Group.CallbackAfterCreateGroup']],
    ['a value for --json', ['--json=yes']],
  ])('rejects %s', (_, args) => {
    expect(() => parseEventsOptions(args)).toThrow();
  });

  test('names the unknown flag', () => {
    expect(() => parseEventsOptions(['--limt', '5'])).toThrow(/--limt/);
  });

  test('a flag that needs a value without one is rejected', () => {
    expect(() => parseEventsOptions(['--limit'])).toThrow(/--limit/);
  });

  test('the usage names every option', () => {
    for (const flag of [
      '--group',
      '--command',
      '--user',
      '--since',
      '--until',
      '--limit',
      '--json',
      '--table',
      '--region',
      '--app',
      '--backfill',
      '--migrate',
      '--from',
      '--to',
      '--stack',
      '--segments',
    ])
      expect(eventsUsage).toContain(flag);
  });
});

describe('--since and --until', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  const parse = (args: string[]) => parseEventsOptions(args, now);

  test.each([
    ['30s', now - 30_000],
    ['15m', now - 900_000],
    ['1h', now - 3_600_000],
    ['2d', now - 2 * 86_400_000],
    ['1w', now - 604_800_000],
    ['1.5h', now - 5_400_000],
    ['250ms', now - 250],
  ])('a duration %s counts back from now', (text, expected) => {
    expect(parse(['--since', text]).since).toBe(expected);
    expect(parse(['--until', text]).until).toBe(expected);
  });

  test.each([
    ['2026-12-01T09:30:00Z', Date.UTC(2026, 11, 1, 9, 30)],
    ['2026-12-01T09:30:00.123Z', Date.UTC(2026, 11, 1, 9, 30, 0, 123)],
    ['2026-12-01T09:30:00+08:00', Date.UTC(2026, 11, 1, 1, 30)],
    ['2026-12-01T09:30', Date.UTC(2026, 11, 1, 9, 30)],
    ['2026-12-01 09:30', Date.UTC(2026, 11, 1, 9, 30)],
    ['2026-12-01', Date.UTC(2026, 11, 1)],
  ])('an ISO time %s (UTC without a zone, as listings show)', (text, expected) => {
    expect(parse(['--since', text]).since).toBe(expected);
  });

  test.each([['1'], ['yesterday'], ['1y'], ['-1h'], ['2026-13-01'], ['2026-12-01T25:00'], ['h'], ['']])(
    '%j is refused, naming the option and the forms',
    (text) => {
      expect(() => parse([`--since=${text}`])).toThrow(/^--since: must be an ISO time .* or a duration back from now/);
    },
  );

  test('--since must be before --until', () => {
    expect(() => parse(['--since', '1h', '--until', '2h'])).toThrow('--since: must be before --until');
    expect(() => parse(['--since', '2h', '--until', '2h'])).toThrow('--since: must be before --until');
    expect(parse(['--since', '2h', '--until', '1h'])).toMatchObject({ since: now - 7_200_000, until: now - 3_600_000 });
  });

  const SEED = testSeed('events options');
  test(`any ISO time round-trips (seeded: TEST_SEED replays it)`, () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), (date) => {
        expect(parse(['--since', date.toISOString()]).since).toBe(date.getTime());
      }),
      { seed: SEED },
    );
  });
});

describe('--follow and --export', () => {
  test('--follow takes the filters of new events; --export lists every match unless --limit says otherwise', () => {
    expect(parseEventsOptions(['--follow', '--group', 'g', '--json'])).toMatchObject({ follow: true, group: 'g', json: true });
    expect(parseEventsOptions(['--export', 'jsonl'])).toMatchObject({ export: 'jsonl', limit: Number.POSITIVE_INFINITY });
    expect(parseEventsOptions(['--export', 'har', '--limit', '5'])).toMatchObject({ export: 'har', limit: 5 });
    expect(() => parseEventsOptions(['--export', 'csv'])).toThrow('--export: must be jsonl or har');
  });

  test.each([
    [['--follow', '--since', '1h'], '--follow and --since do not go together: --follow prints new events only'],
    [['--follow', '--table', 'T'], '--follow and --table do not go together: --follow follows the npm start on DATA_DIR'],
    [['--follow', '--export', 'har'], '--follow and --export do not go together'],
    [['--export', 'jsonl', '--json'], '--export and --json do not go together: --export jsonl is JSON lines already'],
  ])('%j is refused, saying why', (args, message) => {
    expect(() => parseEventsOptions(args)).toThrow(message);
  });
});

describe('--migrate', () => {
  test('takes the two tables, or the stack, and a segment count', () => {
    expect(parseEventsOptions(['--migrate', '--from', 'old', '--to', 'new', '--segments', '8', '--region', 'r'])).toMatchObject({
      migrate: true,
      from: 'old',
      to: 'new',
      segments: 8,
      region: 'r',
    });
    expect(parseEventsOptions(['--migrate', '--stack', 'Im'])).toMatchObject({ migrate: true, stack: 'Im' });
    expect(parseEventsOptions(['--reindex', '--since', '2026-12-01T09:00Z', '--stack', 'Im'])).toMatchObject({
      reindex: true,
      since: Date.UTC(2026, 11, 1, 9),
      stack: 'Im',
    });
    // A listing of the stack's table (with its old table's events until they are copied).
    expect(parseEventsOptions(['--stack', 'Im', '--group', 'g'])).toMatchObject({ stack: 'Im', group: 'g' });
  });

  test.each([
    [['--migrate'], '--migrate needs --from OLD --to NEW'],
    [['--migrate', '--from', 'old'], '--migrate needs --from OLD --to NEW'],
    [['--migrate', '--from', 'old', '--to', 'new', '--group', 'g'], '--migrate and --group do not go together: --migrate copies every event'],
    [['--migrate', '--table', 'T', '--from', 'a', '--to', 'b'], '--migrate and --table do not go together: --migrate reads --from and writes --to'],
    [['--migrate', '--stack', 'Im', '--from', 'a'], '--stack and --from do not go together'],
    [['--from', 'a'], '--from goes with --migrate'],
    [['--segments', '2'], '--segments goes with --migrate'],
    [['--reindex', '--group', 'g'], '--reindex and --group do not go together: --reindex takes the events that arrived between --since and --until'],
    [['--reindex', '--migrate', '--stack', 'Im'], '--reindex and --migrate do not go together'],
    [['--migrate', '--stack', 'Im', '--segments', '0'], '--segments: must be at least 1'],
    [['--migrate', '--stack', 'Im', '--segments', String(MAX_SEGMENTS + 1)], `--segments: must be at most ${MAX_SEGMENTS}`],
  ])('%j is refused, saying why', (args, message) => {
    expect(() => parseEventsOptions(args)).toThrow(message);
  });
});

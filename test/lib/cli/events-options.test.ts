import { describe, expect, test } from '@jest/globals';
import { eventsUsage, parseEventsOptions } from '../../../lib/cli/events-options.ts';

describe('parseEventsOptions', () => {
  test('defaults to the 20 newest events, as a table', () => {
    expect(parseEventsOptions([])).toEqual({ limit: 20, json: false });
  });

  test('reads every option', () => {
    expect(
      parseEventsOptions([
        '--group', '@TGS#2J4SZEAEL',
        '--command', 'Group.CallbackAfterCreateGroup',
        '--limit', '5',
        '--json',
        '--table', 'Events-123',
        '--region', 'ap-singapore-1',
        '--app', '1400000000',
      ]),
    ).toEqual({
      group: '@TGS#2J4SZEAEL',
      command: 'Group.CallbackAfterCreateGroup',
      limit: 5,
      json: true,
      table: 'Events-123',
      region: 'ap-singapore-1',
      app: '1400000000',
    });
  });

  test('accepts --name=value', () => {
    expect(parseEventsOptions(['--limit=3', '--group=@g'])).toMatchObject({ limit: 3, group: '@g' });
  });

  test.each([['1', 1], ['10000', 10_000]])('--limit %s is accepted', (limit, expected) => {
    expect(parseEventsOptions(['--limit', limit]).limit).toBe(expected);
  });

  test.each([
    ['0', />=1/],
    ['10001', /<=10000/],
    ['x', /must be a whole number/],
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

  test.each([['--group'], ['--command'], ['--table']])('%s may not be empty', (flag) => {
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
    for (const flag of ['--group', '--command', '--limit', '--json', '--table', '--region', '--app']) expect(eventsUsage).toContain(flag);
  });
});

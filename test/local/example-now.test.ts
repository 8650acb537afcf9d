import { execFileSync } from 'node:child_process';
import { describe, expect, test } from '@jest/globals';
import { commandRegistry } from '../../functions/commands/registry.ts';
import { happeningNow, shellBodyNow } from '../../local/example-now.ts';

const NOW = Date.UTC(2026, 11, 1, 9, 30, 0, 123);

describe("a command's example, happening now", () => {
  test('EventTime in milliseconds where the definition counts them', () => {
    const definition = commandRegistry.get('Group.CallbackAfterCreateGroup')!;
    expect(definition.example.EventTime).not.toBe(NOW);
    expect(happeningNow(definition, definition.example, NOW)).toEqual({ ...definition.example, EventTime: NOW });
  });

  test('in seconds in each item of a batch whose definition counts seconds (Push.*), the other fields as they were', () => {
    const definition = commandRegistry.get('Push.OfflinePush')!;
    const body = happeningNow(definition, definition.example, NOW) as { Events: Record<string, unknown>[] };
    const items = (definition.example as { Events: Record<string, unknown>[] }).Events;
    expect(body.Events).toEqual(items.map((item) => ({ ...item, EventTime: Math.floor(NOW / 1000) })));
  });

  test("every time field the definition declares, each in its unit: a message's MsgTime in seconds", () => {
    const definition = commandRegistry.get('Group.CallbackAfterSendMsg')!;
    expect(definition.example).toHaveProperty('MsgTime');
    expect(happeningNow(definition, definition.example, NOW)).toMatchObject({ MsgTime: Math.floor(NOW / 1000) });
  });

  test('a body without EventTime gets none (the command does not carry one)', () => {
    const withoutTime = [...commandRegistry.values()].find((definition) => definition.batch === undefined && !('EventTime' in definition.example))!;
    expect(happeningNow(withoutTime, withoutTime.example, NOW)).toEqual(withoutTime.example);
  });

  test('every registry example, sent now, carries now wherever it has a time (no 2022 left)', () => {
    for (const definition of commandRegistry.values()) {
      const text = JSON.stringify(happeningNow(definition, definition.example, NOW));
      expect(text).not.toContain('1670574414123');
    }
  });

  test('as a shell word, the shell fills in its clock: the body is the example with EventTime then', () => {
    const definition = commandRegistry.get('Group.CallbackAfterCreateGroup')!;
    const before = Math.floor(Date.now() / 1000) * 1000;
    const printed = JSON.parse(
      execFileSync('sh', ['-c', `printf '%s' ${shellBodyNow(definition, { ...definition.example, Name: "O'Brien's" })}`], { encoding: 'utf8' }),
    );
    expect(printed).toEqual({ ...definition.example, Name: "O'Brien's", EventTime: expect.any(Number) });
    expect(printed.EventTime).toBeGreaterThanOrEqual(before);
    expect(printed.EventTime % 1000).toBe(0);
  });
});

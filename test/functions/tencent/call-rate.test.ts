import { describe, expect, test } from '@jest/globals';
import { callRate } from '../../../functions/tencent/call-rate.ts';

/** A clock that only the calls and their waits move: no timing in the test. */
function fakeTime() {
  const clock = { time: 0, waits: [] as number[] };
  const sleep = async (ms: number) => {
    clock.waits.push(ms);
    clock.time += ms;
  };
  return { clock, sleep, now: () => clock.time };
}

describe('callRate', () => {
  test('never more than perSecond starts of one API within any second', async () => {
    const { clock, sleep, now } = fakeTime();
    const rate = callRate({ perSecond: 3, now, sleep });
    const starts: number[] = [];
    for (let call = 0; call < 8; call++) {
      await rate.take('openim/sendmsg');
      starts.push(clock.time);
      clock.time += 1;
    }
    expect(starts).toEqual([0, 1, 2, 1000, 1001, 1002, 2000, 2001]);
    for (const start of starts) expect(starts.filter((other) => other > start - 1000 && other <= start).length).toBeLessThanOrEqual(3);
    expect(clock.waits).toEqual([997, 997]);
  });

  test('each API has its own limit', async () => {
    const { clock, sleep, now } = fakeTime();
    const rate = callRate({ perSecond: 1, now, sleep });
    await rate.take('openim/sendmsg');
    await rate.take('group_open_http_svc/get_group_info');
    expect(clock.waits).toEqual([]);
    await rate.take('openim/sendmsg');
    expect(clock.waits).toEqual([1000]);
  });

  test('a limit that is not a positive whole number is refused', () => {
    expect(() => callRate({ perSecond: 0 })).toThrow('perSecond must be a positive whole number');
  });
});

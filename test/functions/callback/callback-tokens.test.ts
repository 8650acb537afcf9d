import { describe, expect, test } from '@jest/globals';
import { parseTokens, refreshingTokens } from '../../../functions/callback/callback-tokens.ts';

/** A secret whose value and availability the test sets, counting reads; `release` ends a held read. */
function secret(initial: string) {
  const state = { value: initial, down: false, reads: 0, hold: false, release: (): void => undefined };
  const read = () => {
    state.reads += 1;
    if (state.down) return Promise.reject(new Error('Secrets Manager unreachable'));
    if (!state.hold) return Promise.resolve(state.value);
    return new Promise<string>((resolve) => (state.release = () => resolve(state.value)));
  };
  return { state, read };
}

describe('parseTokens', () => {
  test('reads one token, or several comma-separated, ignoring blanks', () => {
    expect(parseTokens('abc')).toEqual(['abc']);
    expect(parseTokens(' old , new ,')).toEqual(['old', 'new']);
    expect(parseTokens(undefined)).toEqual([]);
  });
});

describe('refreshingTokens', () => {
  test('reads the secret once, then serves it until it is stale', async () => {
    let clock = 0;
    const { state, read } = secret('one');
    const tokens = refreshingTokens({ read, maxAgeSeconds: 300, now: () => clock });
    expect(await tokens()).toEqual(['one']);
    clock = 299_000;
    expect(await tokens()).toEqual(['one']);
    expect(state.reads).toBe(1);
  });

  test('when stale, answers at once with the tokens it has and refreshes behind the callback', async () => {
    let clock = 0;
    const { state, read } = secret('old');
    const tokens = refreshingTokens({ read, now: () => clock });
    await tokens();
    state.value = 'old,new';
    state.hold = true;
    clock = 301_000;
    expect(await tokens()).toEqual(['old']);
    expect(await tokens()).toEqual(['old']);
    expect(state.reads).toBe(2);
    state.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await tokens()).toEqual(['old', 'new']);
  });

  test('keeps serving the last tokens when a refresh fails, and tries again later', async () => {
    let clock = 0;
    const { state, read } = secret('kept');
    const tokens = refreshingTokens({ read, now: () => clock });
    await tokens();
    state.down = true;
    clock = 301_000;
    expect(await tokens()).toEqual(['kept']);
    await new Promise((resolve) => setImmediate(resolve));
    state.down = false;
    state.value = 'next';
    expect(await tokens()).toEqual(['kept']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await tokens()).toEqual(['next']);
  });

  test('fails the first read, with nothing to serve, so the callback is answered 503', async () => {
    const { state, read } = secret('never');
    state.down = true;
    await expect(refreshingTokens({ read })()).rejects.toThrow('Secrets Manager unreachable');
  });
});

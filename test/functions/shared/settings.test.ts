import { describe, expect, test } from '@jest/globals';
import type { Policy } from '../../../functions/policy/policy-schema.ts';
import {
  type Settings,
  SettingsError,
  settingsFromContext,
  settingsFromContextAndEnvironment,
  settingsFromEnvironment,
  settingsToEnvironment,
} from '../../../functions/shared/settings.ts';

/** A context lookup over plain values, as cdk.json or `-c` would give them. */
const contextOf = (values: Record<string, unknown>) => (name: string) => values[name];

const policy: Policy = {
  rules: [
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', pattern: '^(?:casino|lottery)\\b', refuse: { code: 10150, info: 'spam' } },
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Type', notIn: ['Community'], refuse: { code: 1, info: '' } },
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', maxLength: 50, in: ['x'], refuse: { code: 10200, info: '名字太长 "quoted"' } },
  ],
};

/** The documented defaults of the settings these tests do not set. */
const limitDefaults = {
  policyDeadlineMs: 100,
  rateBudgetMs: 50,
  signWindowSeconds: 60,
  maxBodyBytes: 1_048_576,
  maxBatchItems: 100,
  writeBudgetMs: 1_000,
  logLevel: 'INFO',
  metricsNamespace: 'TencentImCallbacks',
  busyAccounts: [] as string[],
} as const;

/** What a failing read threw, so one test can assert on several parts of the message. */
function errorOf(read: () => unknown): SettingsError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error('expected the settings to be rejected');
}

describe('settingsFromContext', () => {
  test.each([
    ['one id as text', '1400000000', ['1400000000']],
    ['one id as a number', 1400000000, ['1400000000']],
    ['comma-separated text with spaces', '1400000000, 1400000001', ['1400000000', '1400000001']],
    ['a trailing comma', '1400000000,', ['1400000000']],
    ['an array of strings', ['1400000000', '1400000001'], ['1400000000', '1400000001']],
    ['an array of numbers', [1400000000, 1400000001], ['1400000000', '1400000001']],
    ['a mixed array', [1400000000, ' 1400000001 '], ['1400000000', '1400000001']],
  ])('reads sdkAppIds given as %s', (_, sdkAppIds, expected) => {
    expect(settingsFromContext(contextOf({ sdkAppIds })).sdkAppIds).toEqual(expected);
  });

  test('defaults the policy to allow everything and the retention to 90 days', () => {
    expect(settingsFromContext(contextOf({ sdkAppIds: '1400000000' }))).toEqual({
      sdkAppIds: ['1400000000'],
      policy: { rules: [] },
      eventRetentionDays: 90,
      ...limitDefaults,
    });
  });

  test.each([
    ['an object', policy],
    ['JSON text', JSON.stringify(policy)],
    ['indented JSON text', JSON.stringify(policy, null, 2)],
  ])('reads the policy given as %s', (_, given) => {
    expect(settingsFromContext(contextOf({ sdkAppIds: '1', policy: given })).policy).toEqual(policy);
  });

  test('fills in the default info of a refusal', () => {
    const rule = { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['x'], refuse: { code: 1 } };
    expect(settingsFromContext(contextOf({ sdkAppIds: '1', policy: { rules: [rule] } })).policy.rules[0]!.refuse).toEqual({ code: 1, info: '' });
  });

  test.each([
    ['a number', 30],
    ['text', '30'],
    ['text with spaces', ' 30 '],
  ])('reads eventRetentionDays given as %s', (_, eventRetentionDays) => {
    expect(settingsFromContext(contextOf({ sdkAppIds: '1', eventRetentionDays })).eventRetentionDays).toBe(30);
  });

  test.each([
    ['the upper bound', 36_500, true],
    ['above the upper bound', 36_501, false],
    ['a fraction', 1.5, false],
    ['a fraction as text', '1.5', false],
  ])('eventRetentionDays: %s', (_, eventRetentionDays, ok) => {
    const read = () => settingsFromContext(contextOf({ sdkAppIds: '1', eventRetentionDays }));
    if (ok) expect(read().eventRetentionDays).toBe(eventRetentionDays);
    else expect(errorOf(read).message).toContain('eventRetentionDays (cdk.json context or -c eventRetentionDays=…)');
  });

  test.each([
    ['the lower bound', 1, 1],
    ['the upper bound', 1_000, 1_000],
    ['text', ' 50 ', 50],
    ['zero', 0, undefined],
    ['above the upper bound', 1_001, undefined],
    ['a fraction', 99.5, undefined],
  ])('maxBatchItems: %s', (_, maxBatchItems, expected) => {
    const read = () => settingsFromContext(contextOf({ sdkAppIds: '1', maxBatchItems }));
    if (expected !== undefined) expect(read().maxBatchItems).toBe(expected);
    else expect(errorOf(read).message).toContain('maxBatchItems (cdk.json context or -c maxBatchItems=…)');
  });

  test('a missing sdkAppIds is an error that names sdkAppIds', () => {
    const error = errorOf(() => settingsFromContext(contextOf({})));
    expect(error.name).toBe('SettingsError');
    expect(error.message).toMatch(/^Invalid settings:\n {2}- sdkAppIds \(cdk\.json context or -c sdkAppIds=…\): /);
    expect(error.message).not.toContain('policy');
    expect(error.message).not.toContain('eventRetentionDays');
  });

  test.each([
    ['a blank list', ' , '],
    ['a zero-leading id', '0140000000'],
    ['a negative number', -1400000000],
    ['a fraction', 1.5],
    ['an object', { id: '1400000000' }],
  ])('rejects sdkAppIds given as %s', (_, sdkAppIds) => {
    expect(errorOf(() => settingsFromContext(contextOf({ sdkAppIds }))).message).toContain('sdkAppIds (cdk.json context');
  });

  test('an error inside the policy says where in the policy', () => {
    const bad = { rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['x'], refuse: { code: 2 } }] };
    expect(errorOf(() => settingsFromContext(contextOf({ sdkAppIds: '1', policy: bad }))).message).toContain(
      'policy (cdk.json context or -c policy=…) at rules.0.refuse.code: refuse.code must be 1',
    );
  });

  test('lists every problem, one line each', () => {
    const error = errorOf(() => settingsFromContext(contextOf({ sdkAppIds: 'abc', eventRetentionDays: 'soon' })));
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith('  - sdkAppIds ('))).toBe(true);
    expect(lines.some((line) => line.startsWith('  - eventRetentionDays ('))).toBe(true);
  });
});

describe('settingsFromEnvironment', () => {
  test('reads IM_SDKAPPIDS, IM_POLICY and EVENT_RETENTION_DAYS', () => {
    expect(settingsFromEnvironment({ IM_SDKAPPIDS: '1400000000,1400000001', IM_POLICY: JSON.stringify(policy), EVENT_RETENTION_DAYS: '7' })).toEqual({
      sdkAppIds: ['1400000000', '1400000001'],
      policy,
      eventRetentionDays: 7,
      ...limitDefaults,
    });
  });

  test('applies the defaults when only IM_SDKAPPIDS is set', () => {
    expect(settingsFromEnvironment({ IM_SDKAPPIDS: '1400000000' })).toEqual({
      sdkAppIds: ['1400000000'],
      policy: { rules: [] },
      eventRetentionDays: 90,
      ...limitDefaults,
    });
  });

  test('ignores variables with the context names', () => {
    const error = errorOf(() => settingsFromEnvironment({ sdkAppIds: '1400000000' }));
    expect(error.message).toContain('environment variable IM_SDKAPPIDS');
  });

  test.each([
    ['IM_SDKAPPIDS', { IM_SDKAPPIDS: 'abc' }, 'an SDKAppID is a number'],
    ['IM_POLICY', { IM_POLICY: '{"rules": [' }, 'is not valid JSON'],
    ['IM_POLICY', { IM_POLICY: '{"rules": [{"command": "Nope", "field": "Name", "in": ["x"], "refuse": {"code": 1}}]}' }, 'command must be a before-callback'],
    ['EVENT_RETENTION_DAYS', { EVENT_RETENTION_DAYS: 'ninety' }, 'must be a whole number'],
    ['EVENT_RETENTION_DAYS', { EVENT_RETENTION_DAYS: '0' }, '>=1'],
    ['IM_POLICY_DEADLINE_MS', { IM_POLICY_DEADLINE_MS: '5' }, '>=10'],
    ['IM_POLICY_DEADLINE_MS', { IM_POLICY_DEADLINE_MS: '1001' }, '<=1000'],
    ['IM_MAX_BATCH_ITEMS', { IM_MAX_BATCH_ITEMS: '1001' }, '<=1000'],
  ])('an error in %s names the variable', (variable, env, detail) => {
    const { message } = errorOf(() => settingsFromEnvironment({ IM_SDKAPPIDS: '1400000000', ...env }));
    expect(message).toContain(`environment variable ${variable}`);
    expect(message).toContain(detail);
    expect(message).not.toContain('cdk.json');
  });
});

describe('settingsFromContextAndEnvironment', () => {
  const context = contextOf({ sdkAppIds: '1400000000', policy, eventRetentionDays: 30 });

  test('with no variables set, reads the context', () => {
    expect(settingsFromContextAndEnvironment(context, {})).toEqual({ sdkAppIds: ['1400000000'], policy, eventRetentionDays: 30, ...limitDefaults });
  });

  test.each([
    ['sdkAppIds', { IM_SDKAPPIDS: '1400000009' }, ['1400000009']],
    ['policy', { IM_POLICY: '{"rules":[]}' }, { rules: [] }],
    ['eventRetentionDays', { EVENT_RETENTION_DAYS: '5' }, 5],
    ['maxBatchItems', { IM_MAX_BATCH_ITEMS: '20' }, 20],
  ] as const)('the environment overrides %s and nothing else', (name, env, expected) => {
    const settings = settingsFromContextAndEnvironment(context, env);
    const fromContext: Settings = { sdkAppIds: ['1400000000'], policy, eventRetentionDays: 30, ...limitDefaults };
    expect(settings).toEqual({ ...fromContext, [name]: expected });
  });

  test('an error in an overriding variable names the variable', () => {
    const { message } = errorOf(() => settingsFromContextAndEnvironment(context, { EVENT_RETENTION_DAYS: 'x' }));
    expect(message).toContain('environment variable EVENT_RETENTION_DAYS');
    expect(message).not.toContain('eventRetentionDays (cdk.json context)');
  });

  test('an error in the context names the context key', () => {
    const badContext = contextOf({ sdkAppIds: '1400000000', eventRetentionDays: 'x' });
    const { message } = errorOf(() => settingsFromContextAndEnvironment(badContext, { IM_SDKAPPIDS: '1400000001' }));
    expect(message).toContain('eventRetentionDays (cdk.json context)');
    expect(message).not.toContain('EVENT_RETENTION_DAYS');
  });

  test('a valid variable hides a bad context value', () => {
    const badContext = contextOf({ sdkAppIds: 'not an id', policy: '{' });
    expect(settingsFromContextAndEnvironment(badContext, { IM_SDKAPPIDS: '1400000000', IM_POLICY: '{"rules":[]}' })).toEqual({
      sdkAppIds: ['1400000000'],
      policy: { rules: [] },
      eventRetentionDays: 90,
      ...limitDefaults,
    });
  });

  test('an empty variable counts as unset, as in shells', () => {
    expect(settingsFromContextAndEnvironment(context, { IM_POLICY: '', IM_SDKAPPIDS: '' }).policy).toEqual(policy);
  });

  test('a missing sdkAppIds in both names the context key', () => {
    expect(errorOf(() => settingsFromContextAndEnvironment(contextOf({}), {})).message).toContain('sdkAppIds (cdk.json context)');
  });
});

describe('busyAccounts', () => {
  const busy = (value: unknown) => settingsFromContext(contextOf({ sdkAppIds: '1400000000', busyAccounts: value })).busyAccounts;

  test('a list or comma-separated text, trimmed, blanks dropped, each account once; none by default', () => {
    expect(busy(undefined)).toEqual([]);
    expect(busy(' notices, support-desk ,,notices')).toEqual(['notices', 'support-desk']);
    expect(busy(['notices', ' 144115198244471703 '])).toEqual(['notices', '144115198244471703']);
  });

  test.each([
    ['an id with a comma, which the environment variable could not carry', ['a,b'], 'no comma, space or control character'],
    ['an id with a space inside', 'notices desk', 'no comma, space or control character'],
    ['more accounts than the bound', Array.from({ length: 51 }, (_, n) => `account${n}`), 'at most 50 accounts'],
    ['more bytes than the environment can spare', Array.from({ length: 40 }, (_, n) => `${'x'.repeat(30)}${n}`), 'at most 1024 bytes'],
    ['a number', 7, 'must be a list of account ids'],
  ])('%s is refused, naming the key', (_, value, problem) => {
    const { message } = errorOf(() => busy(value));
    expect(message).toContain('busyAccounts (cdk.json context or -c busyAccounts=…)');
    expect(message).toContain(problem);
  });
});

describe('settingsToEnvironment', () => {
  const settings: Settings = {
    sdkAppIds: ['1400000000', '1400000001'],
    policy: settingsFromContext(contextOf({ sdkAppIds: '1', policy })).policy,
    eventRetentionDays: 45,
    signWindowSeconds: 30,
    maxBodyBytes: 65_536,
    maxBatchItems: 250,
    writeBudgetMs: 800,
    policyDeadlineMs: 250,
    rateBudgetMs: 40,
    logLevel: 'DEBUG',
    metricsNamespace: 'Acme/Chat',
    busyAccounts: ['notices', 'support-desk'],
  };

  test('writes every variable as text', () => {
    const env = settingsToEnvironment(settings);
    expect(Object.keys(env).sort()).toEqual([
      'EVENT_RETENTION_DAYS',
      'IM_BUSY_ACCOUNTS',
      'IM_LOG_LEVEL',
      'IM_MAX_BATCH_ITEMS',
      'IM_MAX_BODY_BYTES',
      'IM_METRICS_NAMESPACE',
      'IM_POLICY',
      'IM_POLICY_DEADLINE_MS',
      'IM_RATE_BUDGET_MS',
      'IM_SDKAPPIDS',
      'IM_SIGN_WINDOW_SECONDS',
      'IM_WRITE_BUDGET_MS',
    ]);
    expect(env.IM_LOG_LEVEL).toBe('DEBUG');
    expect(env.IM_METRICS_NAMESPACE).toBe('Acme/Chat');
    expect(env.IM_SIGN_WINDOW_SECONDS).toBe('30');
    expect(env.IM_MAX_BODY_BYTES).toBe('65536');
    expect(env.IM_MAX_BATCH_ITEMS).toBe('250');
    expect(env.IM_SDKAPPIDS).toBe('1400000000,1400000001');
    expect(env.IM_POLICY_DEADLINE_MS).toBe('250');
    expect(env.EVENT_RETENTION_DAYS).toBe('45');
    expect(env.IM_BUSY_ACCOUNTS).toBe('notices,support-desk');
    expect(JSON.parse(env.IM_POLICY!)).toEqual(policy);
  });

  test('settingsFromEnvironment reads back exactly what was written', () => {
    expect(settingsFromEnvironment(settingsToEnvironment(settings))).toEqual(settings);
  });

  test('the round trip keeps the regular expression working', () => {
    const env = settingsToEnvironment(settings);
    const rule = settingsFromEnvironment(env).policy.rules[0]!;
    expect(rule.pattern).toBe('^(?:casino|lottery)\\b');
    expect(new RegExp(rule.pattern!, 'u').test('casino night')).toBe(true);
  });
});

describe('a setting written wrong is told in words, not in the schema library’s (issue 22)', () => {
  const problem = (policy: unknown) => {
    try {
      settingsFromContextAndEnvironment(() => undefined, { IM_SDKAPPIDS: '1400000000', IM_POLICY: JSON.stringify(policy) });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the policy was taken');
  };
  const rule = { command: 'Group.CallbackBeforeCreateGroup', field: 'Name', in: ['x'], refuse: { code: 10101 } };

  test.each([
    [{ rules: [{ ...rule, contains: 'x' }] }, 'environment variable IM_POLICY at rules.0.contains: "contains" is not a field here (a typo?)'],
    [{ rules: [{ ...rule, in: 'x' }] }, 'environment variable IM_POLICY at rules.0.in: must be a list, not "x"'],
    [{ rules: [{ ...rule, refuse: { code: 'x' } }] }, 'environment variable IM_POLICY at rules.0.refuse.code: must be a number, not "x"'],
    [{ rules: {} }, 'environment variable IM_POLICY at rules: must be a list, not an object'],
    [{}, 'environment variable IM_POLICY at rules: is required'],
  ])('%j', (policy, line) => {
    const message = problem(policy);
    expect(message).toContain(line);
    expect(message).not.toMatch(/Invalid (key|type): Expected/);
  });
});

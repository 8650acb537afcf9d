import { describe, expect, test } from '@jest/globals';
import { environmentNameProblems, knownVariables } from '../../local/environment-names.ts';

describe('environment variables that look like settings but are none', () => {
  test('a slip in an IM_ name names the setting meant (issue 22: IM_SDKAPPID, IM_POLCY)', () => {
    expect(environmentNameProblems({ IM_SDKAPPID: '1400000123', IM_POLCY: '{}', im_callback_token: 't' })).toEqual([
      '  - IM_SDKAPPID (environment variable): not a setting; did you mean IM_SDKAPPIDS?',
      '  - IM_POLCY (environment variable): not a setting; did you mean IM_POLICY?',
      '  - im_callback_token (environment variable): not a setting; did you mean IM_CALLBACK_TOKEN?',
    ]);
  });

  test('any other IM_ name is refused too, with the list of the real ones', () => {
    const [problem] = environmentNameProblems({ IM_TOKEN: 'x' });
    expect(problem).toMatch(/^ {2}- IM_TOKEN \(environment variable\): not a setting; the IM_\* settings are IM_SDKAPPIDS, IM_POLICY, /);
    expect(problem).toContain('IM_CALLBACK_TOKEN');
  });

  test("other programs' variables pass; a near miss of one of ours without IM_ does not", () => {
    const environment = {
      PATH: '/usr/bin',
      HOME: '/root',
      PWD: '/',
      XDG_DATA_DIRS: '/usr/share',
      NODE_OPTIONS: '',
      AWS_REGION: 'eu-west-1',
      LANG: 'C',
      POST: '1',
    };
    expect(environmentNameProblems(environment)).toEqual([]);
    expect(environmentNameProblems({ DATA_DIRS: '/tmp', EVENT_RETENTION_DAY: '3', LOGFORMAT: 'json' })).toEqual([
      '  - DATA_DIRS (environment variable): not a setting; did you mean DATA_DIR?',
      '  - EVENT_RETENTION_DAY (environment variable): not a setting; did you mean EVENT_RETENTION_DAYS?',
      '  - LOGFORMAT (environment variable): not a setting; did you mean LOG_FORMAT?',
    ]);
  });

  test('every setting itself passes, and an empty variable counts as unset', () => {
    expect(environmentNameProblems(Object.fromEntries(knownVariables.map((name) => [name, 'x'])))).toEqual([]);
    expect(environmentNameProblems({ IM_SDKAPPID: '' })).toEqual([]);
  });
});

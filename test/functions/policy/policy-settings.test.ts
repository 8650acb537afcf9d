import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { settingsFromContext, settingsFromContextAndEnvironment, settingsFromEnvironment } from '../../../functions/shared/settings.ts';

/** `IM_POLICY` and `-c policy=` take an object, JSON text or `@path/to/policy.json`. */
const policy = {
  rules: [
    {
      command: 'Group.CallbackBeforeSendMsg',
      field: 'MsgBody[].MsgContent.Text',
      containsAny: Array.from({ length: 20_000 }, (_, i) => `word${i}`),
      mask: '*',
    },
  ],
};
let directory: string;
let file: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'policy-'));
  file = join(directory, 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  writeFileSync(join(directory, 'broken.json'), '{"rules": [');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const context = (values: Record<string, unknown>) => (name: string) => values[name];
const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('a policy in a file', () => {
  test('IM_POLICY=@path, absolute or relative to the current directory', () => {
    expect(settingsFromEnvironment({ IM_SDKAPPIDS: '1', IM_POLICY: `@${file}` }).policy).toEqual(policy);
    expect(settingsFromEnvironment({ IM_SDKAPPIDS: '1', IM_POLICY: `@${relative(process.cwd(), file)}` }).policy).toEqual(policy);
  });

  test('-c policy=@path, and npm start with IM_POLICY over the context', () => {
    expect(settingsFromContext(context({ sdkAppIds: '1', policy: `@${file}` })).policy).toEqual(policy);
    expect(settingsFromContextAndEnvironment(context({ sdkAppIds: '1', policy: { rules: [] } }), { IM_POLICY: `@${file}` }).policy).toEqual(policy);
  });

  test('objects and JSON text still work', () => {
    expect(settingsFromContext(context({ sdkAppIds: '1', policy })).policy).toEqual(policy);
    expect(settingsFromEnvironment({ IM_SDKAPPIDS: '1', IM_POLICY: JSON.stringify(policy) }).policy).toEqual(policy);
  });

  test('a file that cannot be read is an error naming it', () => {
    const missing = join(directory, 'missing.json');
    expect(errorOf(() => settingsFromEnvironment({ IM_SDKAPPIDS: '1', IM_POLICY: `@${missing}` }))).toBe(
      `Invalid settings:\n  - environment variable IM_POLICY: cannot read the policy file ${missing} (ENOENT)`,
    );
  });

  test('a file that is not JSON is an error naming it', () => {
    expect(errorOf(() => settingsFromContext(context({ sdkAppIds: '1', policy: `@${join(directory, 'broken.json')}` })))).toMatch(
      new RegExp(
        `^Invalid settings:\\n  - policy \\(cdk\\.json context or -c policy=…\\): the policy file ${join(directory, 'broken.json')} is not valid JSON \\(`,
      ),
    );
  });

  test("a file's rules are checked like any policy's", () => {
    const bad = join(directory, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Nmae', in: ['x'], refuse: { code: 1 } }] }));
    expect(errorOf(() => settingsFromEnvironment({ IM_SDKAPPIDS: '1', IM_POLICY: `@${bad}` }))).toContain(
      `environment variable IM_POLICY at rules.0.field: field "Nmae" is not in Group.CallbackBeforeCreateTopic's body (rule 0)`,
    );
  });
});

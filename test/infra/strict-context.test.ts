import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { editDistance } from '../../functions/shared/edit-distance.ts';
import { intendedSetting } from '../../functions/shared/intended-setting.ts';
import { DeploymentSettingsSchema } from '../../infra/deployment-settings.ts';
import { readDeploymentSettings } from '../../infra/strict-context.ts';
import { projectRoot } from '../support/processes.ts';
import { testOutdir } from '../support/stack-template.ts';

const ours = Object.keys(DeploymentSettingsSchema.entries);
const read = (context: Record<string, unknown>) => () => readDeploymentSettings(new App({ context, outdir: testOutdir() }).node);

describe('strict deployment settings', () => {
  test('a key one letter short of ours stops synth and names the right one', () => {
    expect(read({ sdkAppId: '1400123456' })).toThrow(/sdkAppId \(cdk\.json context or -c sdkAppId=…\): not a setting; did you mean sdkAppIds\?/);
  });

  test('a wrong case, a separator, two slips in a long name: each named', () => {
    expect(read({ sdkAppIds: '1400123456', SDKAPPIDS: '1' })).toThrow(/SDKAPPIDS .*did you mean sdkAppIds\?/);
    expect(read({ sdkAppIds: '1400123456', 'event-retention-days': 3 })).toThrow(/did you mean eventRetentionDays\?/);
    expect(read({ sdkAppIds: '1400123456', latencyAlrmMS: 5 })).toThrow(/did you mean latencyAlarmMs\?/);
    // All of them at once, so one synth shows every mistake.
    expect(read({ sdkAppId: '1', Policy: '{}' })).toThrow(/sdkAppId .*\n.*Policy .*did you mean policy\?/);
  });

  test("CDK's keys and other tools' pass, and the settings are read", () => {
    const context = {
      sdkAppIds: '1400123456',
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
      'cli-telemetry': false,
      'acknowledged-issue-numbers': [32775],
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
      'cdk-nag-report': true,
      myTeamsOwnFlag: 'x',
    };
    expect(read(context)()).toMatchObject({ sdkAppIds: ['1400123456'] });
  });

  test('every setting of the schema is covered, so one added later needs no change here', () => {
    for (const name of ours) {
      expect(intendedSetting(name, ours)).toBeUndefined();
      expect(intendedSetting(`${name}x`, ours)).toBe(name);
      expect(intendedSetting(name.toUpperCase(), ours)).toBe(name);
    }
    // A setting another branch adds is ours as soon as the schema has it.
    expect(intendedSetting('fanOutArchiveDay', [...ours, 'fanOutArchiveDays'])).toBe('fanOutArchiveDays');
  });

  test('a tokenSecret value a slip or two from create is refused like a mistyped key, not looked up as a secret', () => {
    for (const slip of ['crete', 'Create', 'CREATE', 'creat', 'craete', 'creeate', 'reate']) {
      expect(read({ sdkAppIds: '1400123456', tokenSecret: slip })).toThrow(
        /tokenSecret \(cdk\.json context or -c tokenSecret=…\): ".*" is not a secret this stack would find: did you mean create\?/,
      );
    }
    // Three slips away is a name of its own.
    expect(read({ sdkAppIds: '1400123456', tokenSecret: 'rotate' })()).toMatchObject({ tokenSecret: 'rotate' });
    // And the opt-out's key is as strict as any.
    expect(read({ sdkAppIds: '1400123456', unsignedCallback: 'true' })).toThrow(/unsignedCallback .*did you mean unsignedCallbacks\?/);
  });

  test('edit distance', () => {
    expect(editDistance('sdkAppId', 'sdkAppIds')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test.each([
    ['sdkAppId=1400123456', /sdkAppId \(cdk\.json context or -c sdkAppId=…\): not a setting; did you mean sdkAppIds\?/],
    ['tokenSecret=crete', /tokenSecret \(cdk\.json context or -c tokenSecret=…\): "crete" is not a secret this stack would find: did you mean create\?/],
  ])(
    '`cdk synth -c %s` fails in a line that names the fix, and exits non-zero',
    async (setting, line) => {
      const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          join(projectRoot, 'node_modules/.bin/cdk'),
          ['synth', '-q', '-c', setting],
          { cwd: projectRoot, env: { ...process.env, DEBUG: '' } },
          (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
        );
      });
      expect(outcome.code).not.toBe(0);
      expect(outcome.stderr).toMatch(line);
      expect(outcome.stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );
});

import { describe, expect, test } from '@jest/globals';
import { OptionsError } from '../../cli/command.ts';
import { regionConfig, stackOptions, stackOptionsHelp } from '../../cli/stack-options.ts';

describe('--stack and --region, as listen and doctor take them', () => {
  test('the stack is needed, and the refusal says what for', () => {
    for (const stack of [undefined, '']) {
      expect(() => stackOptions({ stack }, 'the deployed stack to check')).toThrow(new OptionsError('--stack NAME is needed: the deployed stack to check'));
    }
    expect(stackOptions({ stack: 'Im' }, '')).toEqual({ stack: 'Im' });
    expect(stackOptions({ stack: 'Im', region: 'ap-singapore-1' }, '')).toEqual({ stack: 'Im', region: 'ap-singapore-1' });
  });

  test("no --region leaves the SDK's own: the client's configuration has no region key at all", () => {
    expect(regionConfig(undefined)).toEqual({});
    expect(regionConfig('eu-west-1')).toEqual({ region: 'eu-west-1' });
  });

  test("the usage lines start their descriptions at the command's column", () => {
    expect(stackOptionsHelp(22).split('\n')).toEqual([
      '  --stack NAME        the deployed stack (CloudFormation)',
      "  --region R          its region (default: the SDK's: AWS_REGION, your profile)",
    ]);
  });
});

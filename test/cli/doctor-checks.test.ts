import { describe, expect, test } from '@jest/globals';
import { ago, stackFindings } from '../../cli/doctor-checks.ts';

const stack = (status: string, outputs: Record<string, string> = { CallbackUrl: 'https://x/callback' }) => ({ name: 'Im', status, outputs });

describe("doctor's stack line", () => {
  test('a settled stack is fine; one rolled back or failed is a problem that says where to look; one in progress a fact', () => {
    expect(stackFindings(stack('UPDATE_COMPLETE'))[0]).toEqual({ verdict: 'fine', text: 'stack Im: UPDATE_COMPLETE' });
    for (const status of ['UPDATE_ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE', 'CREATE_FAILED', 'UPDATE_ROLLBACK_FAILED']) {
      expect(stackFindings(stack(status))[0]).toEqual({
        verdict: 'problem',
        text: `stack Im: ${status}: its events in the CloudFormation console say what failed; deploy again once fixed`,
      });
    }
    expect(stackFindings(stack('UPDATE_IN_PROGRESS'))[0]!.verdict).toBe('fact');
    expect(stackFindings(stack('UPDATE_ROLLBACK_IN_PROGRESS'))[0]!.verdict).toBe('problem');
  });

  test('a stack without a callback URL is no receiver', () => {
    expect(stackFindings(stack('CREATE_COMPLETE', {}))).toEqual([
      { verdict: 'fine', text: 'stack Im: CREATE_COMPLETE' },
      { verdict: 'problem', text: 'no CallbackUrl output: is Im a tencent-im stack? (check --stack)' },
      { verdict: 'fact', text: 'outputs: none' },
    ]);
  });

  test('how long ago, in the unit that reads best', () => {
    expect([ago(0), ago(90_000), ago(119 * 60_000), ago(3 * 3_600_000), ago(47 * 3_600_000), ago(3 * 86_400_000), ago(-5_000)]).toEqual([
      '0 min ago',
      '2 min ago',
      '119 min ago',
      '3 h ago',
      '47 h ago',
      '3 d ago',
      '0 min ago',
    ]);
  });
});

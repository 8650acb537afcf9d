import { parseSettings, type Settings } from '../../functions/shared/settings.ts';

export const SDK_APP_ID = '1400000000';

/**
 * The policy's decision deadline in tests that are not about it: the most the settings allow
 * (policyDeadlineMs <= 1,000), not the default 100 ms, so that a GC pause or a busy core never turns
 * a decision into its timeout answer. A decision takes well under a millisecond here; the deadline's
 * own tests (deadline.test.ts, policy-timeout.test.ts) set theirs, on a clock of their own.
 */
export const TEST_POLICY_DEADLINE_MS = 1_000;

/** compilePolicy's options for tests that are not about the deadline. */
export const testPolicyOptions = { deadlineMs: TEST_POLICY_DEADLINE_MS } as const;

/** Settings for app SDK_APP_ID, with the tests' generous decision deadline; `overrides` win. */
export const testSettings = (overrides: Record<string, unknown> = {}): Settings =>
  parseSettings({ sdkAppIds: [SDK_APP_ID], policyDeadlineMs: TEST_POLICY_DEADLINE_MS, ...overrides }, (name) => name);

/**
 * The setting a mistyped key was probably meant to be (a typo, a wrong case, a missing letter as in
 * `sdkAppId` for `sdkAppIds`): deployment context keys (infra/strict-context.ts, synth) and environment
 * variables (local/environment-names.ts, npm start and the CLI) are refused naming it. Free of CDK, so
 * the command-line tools do not load aws-cdk-lib to say it.
 */
import { editDistance } from './edit-distance.ts';

/** CDK's own keys and the CLI's (feature flags, lookups, `aws:cdk:*`, `cdk-*`, telemetry): never ours. */
const isToolKey = (key: string) => /[:/@.]/.test(key) || /^(cdk|aws)-/.test(key) || ['cli-telemetry', 'acknowledged-issue-numbers', 'notices'].includes(key);

const folded = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '');

/** The setting `key` was probably meant to be, when it looks like one: else undefined. */
export function intendedSetting(key: string, ours: readonly string[]): string | undefined {
  if (ours.includes(key) || isToolKey(key)) return undefined;
  // Two slips in a long name, one in a short one: `policy` and `polite` stay apart.
  const allowed = (name: string) => (name.length >= 8 ? 2 : 1);
  const ranked = ours
    .map((name) => ({ name, distance: folded(key) === folded(name) ? 0 : editDistance(key.toLowerCase(), name.toLowerCase()) }))
    .filter(({ name, distance }) => distance <= allowed(name))
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.name;
}

/**
 * Deployment settings are strict: a context key that is not one of ours but looks like one (a typo,
 * a wrong case, a missing letter as in `sdkAppId` for `sdkAppIds`) stops synth and names the right
 * one, since otherwise the default (the example SDKAppID) would be deployed without a word. Keys of
 * CDK itself and of other tools, which look like none of ours, pass. "Ours" is whatever the schema
 * declares, so a setting added to DeploymentSettingsSchema is covered without a change here.
 */
import type { Node } from 'constructs';
import { editDistance } from '../functions/shared/edit-distance.ts';
import { SettingsError } from '../functions/shared/settings.ts';
import { type DeploymentSettings, DeploymentSettingsSchema, deploymentSettingsFromContext } from './deployment-settings.ts';

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

/** Refuses every context key that looks like a mistyped setting, naming the setting each meant. */
export function checkContextKeys(keys: Iterable<string>, ours: readonly string[]): void {
  const problems = [...keys].flatMap((key) => {
    const meant = intendedSetting(key, ours);
    return meant === undefined ? [] : [`  - ${key} (cdk.json context or -c ${key}=…): not a setting; did you mean ${meant}?`];
  });
  if (problems.length > 0) throw new SettingsError(`Unknown settings:\n${problems.join('\n')}`);
}

/** What infra/app.ts reads: the app's context, checked for mistyped keys, then validated. */
export function readDeploymentSettings(node: Node): DeploymentSettings {
  checkContextKeys(Object.keys(node.getAllContext()), Object.keys(DeploymentSettingsSchema.entries));
  return deploymentSettingsFromContext((name) => node.tryGetContext(name));
}

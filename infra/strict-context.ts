/**
 * Deployment settings are strict: a context key that is not one of ours but looks like one (a typo,
 * a wrong case, a missing letter as in `sdkAppId` for `sdkAppIds`) stops synth and names the right
 * one, since otherwise the default (the example SDKAppID) would be deployed without a word. Keys of
 * CDK itself and of other tools, which look like none of ours, pass. "Ours" is whatever the schema
 * declares, so a setting added to DeploymentSettingsSchema is covered without a change here.
 */
import type { Node } from 'constructs';
import { intendedSetting } from '../functions/shared/intended-setting.ts';
import { SettingsError } from '../functions/shared/settings.ts';
import { type DeploymentSettings, DeploymentSettingsSchema, deploymentSettingsFromContext } from './deployment-settings.ts';

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

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import * as v from 'valibot';
import type { Settings } from '../../functions/settings.ts';
import { DeploymentSettingsSchema } from '../../lib/deployment-settings.ts';
import { CallbackStack } from '../../lib/callback-stack.ts';

export interface DeployedBundles {
  /** The callback function's bundle. */
  readonly callback: string;
  /** The fallback queue's drain function's bundle. */
  readonly drain: string;
  /** The stream's fan-out consumer's bundle. */
  readonly fanOut: string;
  /** The synced view's stream consumer's bundle. */
  readonly state: string;
}

/**
 * Synthesizes the real stack, esbuild bundling included, and returns the functions' bundles as CDK
 * wrote them into the cloud assembly: the very files `cdk deploy` would upload.
 */
export function synthesizeDeployedBundles(settings: Settings, outdir: string): DeployedBundles {
  const app = new App({ outdir });
  const stack = new CallbackStack(app, 'Test', { settings: v.parse(DeploymentSettingsSchema, settings) });
  const functions = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const directory = app.synth().directory;
  const bundleOf = (logicalIdPrefix: string) => {
    const [, fn] = functions.find(([id]) => id.startsWith(logicalIdPrefix))!;
    return join(directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
  };
  return { callback: bundleOf('CallbackFunction'), drain: bundleOf('FallbackDrainFunction'), fanOut: bundleOf('FanOutConsumerFunction'), state: bundleOf('StateConsumerFunction') };
}

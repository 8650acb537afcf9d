import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as v from 'valibot';
import type { Settings } from '../../functions/shared/settings.ts';
import { ensureHandlerBundles } from '../../infra/build/handler-bundles.ts';
import { CallbackStack } from '../../infra/callback-stack.ts';
import { DeploymentSettingsSchema } from '../../infra/deployment-settings.ts';
import { POLICY_FILE_IN_LAMBDA } from '../../infra/policy-layer.ts';

export interface DeployedBundles {
  /** The callback function's bundle. */
  readonly callback: string;
  /** The fallback queue's drain function's bundle. */
  readonly drain: string;
  /** The stream's fan-out consumer's bundle. */
  readonly fanOut: string;
  /** The synced view's stream consumer's bundle. */
  readonly state: string;
  /**
   * The callback function's IM_POLICY as Lambda would resolve it: `@` and the policy layer's file
   * in the assembly, where Lambda unpacks it under /opt.
   */
  readonly policySetting: string;
}

/**
 * Synthesizes the real stack, esbuild bundling included, and returns the functions' bundles as CDK
 * wrote them into the cloud assembly: the very files `cdk deploy` would upload.
 */
export function synthesizeDeployedBundles(settings: Settings, outdir: string): DeployedBundles {
  ensureHandlerBundles();
  // Without CDK's built-in CloudFormation validation (as test/support/stack-template.ts's appWithoutBundling): the bundles are what is read here.
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new CallbackStack(app, 'Test', { settings: v.parse(DeploymentSettingsSchema, settings) });
  const template = Template.fromStack(stack);
  const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
  const [[, layer]] = Object.entries(template.findResources('AWS::Lambda::LayerVersion')) as [[string, { Properties: { Content: { S3Key: string } } }]];
  const directory = app.synth().directory;
  const bundleOf = (logicalIdPrefix: string) => {
    const [, fn] = functions.find(([id]) => id.startsWith(logicalIdPrefix))!;
    return join(directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
  };
  const layerDir = join(directory, `asset.${layer.Properties.Content.S3Key.replace(/\.zip$/, '')}`);
  return {
    callback: bundleOf('CallbackFunction'),
    drain: bundleOf('FallbackDrainFunction'),
    fanOut: bundleOf('FanOutConsumerFunction'),
    state: bundleOf('StateConsumerFunction'),
    policySetting: `@${join(layerDir, ...POLICY_FILE_IN_LAMBDA.split('/').slice(2))}`,
  };
}

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import * as v from 'valibot';
import type { Settings } from '../../functions/settings.ts';
import { DeploymentSettingsSchema } from '../../lib/deployment-settings.ts';
import { CallbackStack } from '../../lib/callback-stack.ts';

/**
 * Synthesizes the real stack, esbuild bundling included, and returns the function's bundle as CDK
 * wrote it into the cloud assembly: the very file `cdk deploy` would upload.
 */
export function synthesizeDeployedBundle(settings: Settings, outdir: string): string {
  const app = new App({ outdir });
  const stack = new CallbackStack(app, 'Test', { settings: v.parse(DeploymentSettingsSchema, settings) });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const assetHash = String(fn!.Properties.Code.S3Key).replace(/\.zip$/, '');
  return join(app.synth().directory, `asset.${assetHash}`, 'index.mjs');
}

/**
 * PolicyLayer (infra/policy-layer.ts): the policy file's source is written into the app's cloud
 * assembly folder, named by the policy, so a synth leaves nothing in the system's temporary folder
 * and the same policy is the same asset.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import * as v from 'valibot';
import { type Policy, PolicySchema } from '../../functions/policy/policy-schema.ts';
import { POLICY_FILE_IN_LAMBDA, PolicyLayer } from '../../infra/policy-layer.ts';
import { appWithoutBundling } from '../support/stack-template.ts';

/** A policy that refuses group topics named longer than `maxLength`, validated as the settings validate it. */
const policy = (maxLength: number): Policy =>
  v.parse(PolicySchema, { rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Name', maxLength, refuse: { code: 10101, info: 'too long' } }] });

/**
 * Each layer's asset: its source folder and its hash. Asset staging is off in test apps, so the asset's
 * metadata (asked for, as `cdk synth` asks for it) names the source folder itself.
 */
function layerAssets(policies: readonly Policy[]) {
  const app = appWithoutBundling();
  app.node.setContext('aws:cdk:enable-asset-metadata', true);
  const stack = new Stack(app, 'Test');
  for (const [index, each] of policies.entries()) new PolicyLayer(stack, `Policy${index}`, { policy: each });
  const layers = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::LayerVersion')) as {
    Metadata: Record<string, string>;
    Properties: { Content: { S3Key: string } };
  }[];
  return { outdir: app.outdir, assets: layers.map((layer) => ({ source: layer.Metadata['aws:asset:path']!, key: layer.Properties.Content.S3Key })) };
}

describe('the policy layer', () => {
  test("writes the policy file into the app's cloud assembly folder, not a temporary folder of its own", () => {
    const { outdir, assets } = layerAssets([policy(50)]);
    expect(assets).toHaveLength(1);
    const { source } = assets[0]!;
    expect(relative(outdir, source)).toMatch(/^policy-source-[0-9a-f]{16}$/);
    expect(JSON.parse(readFileSync(join(source, ...POLICY_FILE_IN_LAMBDA.split('/').slice(2)), 'utf8'))).toEqual(policy(50));
  });

  test('the same policy is the same folder and asset; another policy, another', () => {
    const { assets } = layerAssets([policy(50), policy(50), policy(60)]);
    expect(assets).toHaveLength(3);
    const [first, same, other] = assets;
    expect(same).toEqual(first);
    expect(other!.source).not.toBe(first!.source);
    expect(other!.key).not.toBe(first!.key);
  });

  test('outside an App or a Stage it says so in one line, as CDK says it of any asset', () => {
    expect(() => new PolicyLayer(new Construct(undefined as never, ''), 'Policy', { policy: policy(50) })).toThrow(
      /^Policy: a PolicyLayer must be inside an App or a Stage \(its policy file is an asset\)$/,
    );
  });
});

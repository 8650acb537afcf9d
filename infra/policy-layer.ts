import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Policy } from '../functions/policy/policy-schema.ts';

/** Where Lambda unpacks the layer's one file: layers land under /opt. */
export const POLICY_FILE_IN_LAMBDA = '/opt/tencent-im-callbacks/policy.json';

export interface PolicyLayerProps {
  /** The validated policy (functions/policy/policy-schema.ts). Required. */
  readonly policy: Policy;
}

/**
 * The before-callback policy as a Lambda layer holding one file, which the function reads at cold
 * start (`IM_POLICY=@/opt/…`). Not an environment variable: Lambda caps all of a function's variables
 * at 4 KB together, which a few dozen rules or one word list pass; a layer takes 50 MB zipped. A new
 * policy is a new layer version and so a new function version, deployed and rolled back with the code
 * it was validated against, and read with no call on the callback's path.
 */
export class PolicyLayer extends Construct {
  readonly layer: LayerVersion;
  /** The setting's value that points the function at the file: `@/opt/tencent-im-callbacks/policy.json`. */
  readonly reference = `@${POLICY_FILE_IN_LAMBDA}`;

  constructor(scope: Construct, id: string, props: PolicyLayerProps) {
    super(scope, id);
    // The asset is hashed by content: the same policy deploys as the same layer version. Its source is
    // written into the cloud assembly's folder (cdk.out), beside the assets CDK stages there, and not
    // into a temporary folder that nothing removes: that left one in the system's /tmp at every synth.
    // Like every asset, it needs an App or a Stage above it (CDK refuses an asset without one).
    const outdir = Stage.of(this)?.assetOutdir;
    if (outdir === undefined) throw new TypeError(`${this.node.path}: a PolicyLayer must be inside an App or a Stage (its policy file is an asset)`);
    const text = JSON.stringify(props.policy);
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const root = join(outdir, `policy-source-${digest}`);
    const file = join(root, ...POLICY_FILE_IN_LAMBDA.split('/').slice(2));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    this.layer = new LayerVersion(this, 'Layer', {
      code: Code.fromAsset(root),
      description: 'The before-callback policy of the Tencent IM callback receiver',
      compatibleArchitectures: [Architecture.ARM_64],
      compatibleRuntimes: [Runtime.NODEJS_24_X],
    });
  }
}

import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.ts';

/** The callback function as `cdk synth` would deploy it. */
export interface DeployedFunction {
  /** The stack and construct path, e.g. TencentImCallbacks/Callback/Function/Resource. */
  readonly path: string;
  /** The asset's entry file: what Lambda runs. */
  readonly bundleFile: string;
  /** Environment variables as synthesized; one CloudFormation resolves at deploy time is null. */
  readonly environment: Record<string, string | null>;
  readonly runtime: string;
  readonly architectures: string[];
  readonly memorySize: number;
  /** The asset directories of its layers, in order: what Lambda unpacks under /opt. */
  readonly layers: string[];
}

interface Resource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties: {
    Handler: string;
    Runtime: string;
    Architectures?: string[];
    MemorySize?: number;
    Environment?: { Variables?: Record<string, unknown> };
    Layers?: unknown[];
  };
}

/** The construct path infra/callback-stack.ts gives the callback function (a ReceiverFunction with the id Callback). */
const callbackFunctionPath = /\/Callback\/Function\/Resource$/;

/**
 * Synthesizes the app exactly as the CDK CLI does for `cdk synth`: it runs cdk.json's `app` command
 * with the assembly directory and the context (cdk.json's, plus the metadata the CLI asks for) in
 * CDK_OUTDIR and CDK_CONTEXT_JSON. Whatever the stack's props become, this is the deployed artifact.
 */
export async function synthesizeDeployedFunction(outdir: string): Promise<DeployedFunction> {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { app: string; context?: Record<string, unknown> };
  const [program, ...args] = cdkJson.app.split(/\s+/);
  const context = { ...cdkJson.context, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true };
  rmSync(outdir, { recursive: true, force: true });
  try {
    await promisify(execFile)(program === 'node' ? process.execPath : program!, args, {
      cwd: repoRoot,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    // CDK's bundling log and warnings go to stderr: shown only when synth fails.
    throw new Error(`cdk synth (${cdkJson.app}) failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
  return findCallbackFunction(outdir);
}

function findCallbackFunction(outdir: string): DeployedFunction {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const found: DeployedFunction[] = [];
  for (const artifact of Object.values(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = JSON.parse(readFileSync(join(outdir, artifact.properties.templateFile), 'utf8')) as { Resources: Record<string, Resource> };
    const layerDir = (reference: unknown) => {
      const id = (reference as { Ref?: string }).Ref;
      const layer = id === undefined ? undefined : template.Resources[id];
      if (layer?.Type !== 'AWS::Lambda::LayerVersion') throw new Error(`a layer that is not a LayerVersion of the stack: ${JSON.stringify(reference)}`);
      return join(outdir, String(layer.Metadata?.['aws:asset:path']));
    };
    for (const resource of Object.values(template.Resources)) {
      const path = String(resource.Metadata?.['aws:cdk:path'] ?? '');
      if (resource.Type !== 'AWS::Lambda::Function' || !callbackFunctionPath.test(path)) continue;
      const { Handler, Runtime, Architectures, MemorySize, Environment } = resource.Properties;
      // `index.handler`: Lambda imports index.mjs and calls its `handler` export, as the children do.
      if (Handler !== 'index.handler') throw new Error(`${path}: unexpected handler ${Handler}`);
      found.push({
        path,
        bundleFile: join(outdir, String(resource.Metadata?.['aws:asset:path']), 'index.mjs'),
        environment: Object.fromEntries(Object.entries(Environment?.Variables ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : null])),
        runtime: Runtime,
        architectures: Architectures ?? ['x86_64'],
        memorySize: MemorySize ?? 128,
        layers: (resource.Properties.Layers ?? []).map(layerDir),
      });
    }
  }
  if (found.length !== 1) throw new Error(`expected one callback function in the assembly, found ${found.length}`);
  return found[0]!;
}

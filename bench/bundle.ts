import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { type DeployedFunction, synthesizeDeployedFunction } from './deployed-function.ts';
import { outDir, repoRoot } from './paths.ts';

/**
 * The handlers the bench runs, each an ESM bundle: the one CDK deploys, the floor, the deployed
 * handler with the AWS SDK left to the runtime, and any candidates. All but the deployed one are
 * built here with the deployed function's esbuild options, checked by rebuilding the deployed bundle
 * and comparing bytes.
 */

/**
 * Fixed variants; a candidate (run.ts --candidate) is any other entry, bundled the same way. A
 * candidate is how a change to the handler is measured before it is made: write it under bench/.out/.
 */
export type VariantName = 'deployed' | 'floor' | 'floorWithoutBuiltins' | 'externalSdk' | 'handWritten';

export interface Bundle {
  readonly name: string;
  readonly description: string;
  /** Where the bundle was written (bench/.out), to inspect. */
  readonly file: string;
  /** Where the children import it from (see stageBundles). */
  readonly runFile: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Whether it stores after-events (the floors only answer). */
  readonly storesEvents: boolean;
}

export interface Candidate {
  readonly name: string;
  /** A handler entry (TypeScript or JavaScript) exporting `handler`, like functions/callback/handler.ts. */
  readonly entry: string;
}

/** `sources changed`: the handler's sources changed while CDK bundled them, so nothing can be told. */
export type OptionsCheck = 'identical' | 'different' | 'sources changed';

export interface Bundles {
  readonly byName: Record<VariantName, Bundle>;
  readonly candidates: Bundle[];
  readonly deployedFunction: DeployedFunction;
  /** Node built-ins the deployed bundle loads when it is imported; the floor loads the same. */
  readonly builtins: BuiltinUse;
  /** Whether these options rebuild the deployed asset byte for byte. */
  readonly sameOptionsAsDeployed: OptionsCheck;
  /** Removes the staged copies outside the repository. */
  cleanUp(): void;
}

/** infra/receiver-function.ts's `bundling`, as NodejsFunction passes it to esbuild. */
export const deployedBuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  external: [],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
} as const satisfies BuildOptions;

const handlerEntry = join(repoRoot, 'functions/callback/handler.ts');
const floorHandler = join(repoRoot, 'bench/floor-handler.ts');
const handWrittenHandler = join(repoRoot, 'bench/hand-written-handler.ts');

/** How a bundle loads Node built-ins: the floor loads the same ones the same way. */
export interface BuiltinUse {
  /**
   * Static ESM imports. An import builds the module's ESM namespace, which reads every export, lazy
   * ones included: `node:http`'s loads undici, for instance, which require() does not.
   */
  readonly imported: string[];
  /** require() calls of bundled CommonJS code (through the createRequire banner), not also imported. */
  readonly required: string[];
  /** import() calls: they load only when reached, so the floor leaves them out. */
  readonly dynamic: string[];
}

/**
 * The Node built-ins a minified ESM bundle loads, read from its text. Bundled CommonJS calls esbuild's
 * `__require` shim (renamed by minification; found by its body) or the banner's `require`; such calls
 * are counted as made at start-up, which is where bundled CommonJS modules mostly make them.
 */
export function builtinsOf(code: string): BuiltinUse {
  const found = (pattern: RegExp) =>
    [...new Set([...code.matchAll(pattern)].map((match) => withNodePrefix(match[1]!)).filter((name) => isBuiltin(name)))].sort();
  const requireShim = /([\w$]+)\s*=\s*(?:\/\*[^*]*\*\/\s*)?\(*\s*[\w$]+\)?\s*=>\s*typeof require\s*(?:<\s*"u"|!==\s*"undefined")/.exec(code)?.[1];
  const requireNames = ['require', ...(requireShim ? [requireShim.replace(/\$/g, '\\$')] : [])].join('|');
  const imported = found(/(?:\bfrom|\bimport)\s*["']([^"']+)["']/g);
  return {
    imported,
    required: found(new RegExp(`(?<![\\w$.])(?:${requireNames})\\(\\s*["']([^"']+)["']\\s*\\)`, 'g')).filter((name) => !imported.includes(name)),
    dynamic: found(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  };
}

const withNodePrefix = (name: string) => (name.startsWith('node:') ? name : `node:${name}`);

/**
 * A bundle's size; for the deployed one, every file of its asset directory (a source map would count).
 * Lambda's zip deflates each file as gzip does, so the gzipped sum is close to the upload's size.
 */
function sizeOf(file: string, wholeDirectory = false): { bytes: number; gzipBytes: number } {
  const dir = dirname(file);
  const files = wholeDirectory ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : [];
  const paths = wholeDirectory ? files.map((entry) => join(entry.parentPath, entry.name)) : [file];
  let bytes = 0;
  let gzipBytes = 0;
  for (const path of paths) {
    const content = readFileSync(path);
    bytes += content.length;
    gzipBytes += gzipSync(content).length;
  }
  return { bytes, gzipBytes };
}

async function bundleEntry(entry: string, outfile: string, options: Partial<BuildOptions> = {}): Promise<string> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({ ...deployedBuildOptions, ...options, entryPoints: [entry], outfile, absWorkingDir: repoRoot });
  return outfile;
}

/**
 * The floor's entry: the deployed bundle's built-ins, loaded the same way (generated, so the floor
 * follows the product as its dependencies change), then the floor handler. The namespaces are
 * exported because esbuild drops a bare `import 'node:fs'`: it knows built-ins have no side effects.
 * `require` is the banner's.
 */
function writeFloorEntry(builtins: BuiltinUse): string {
  const entry = join(outDir, 'floor/entry.ts');
  mkdirSync(dirname(entry), { recursive: true });
  const loaded = [...builtins.imported, ...builtins.required].map((_, index) => `builtin${index}`);
  const lines = [
    "// Generated by bench/bundle.ts: the deployed bundle's built-ins, then the floor handler.",
    ...builtins.imported.map((name, index) => `import * as builtin${index} from '${name}';`),
    ...builtins.required.map((name, index) => `const builtin${builtins.imported.length + index} = require('${name}');`),
    `export { handler } from '${relative(dirname(entry), floorHandler)}';`,
    `export const builtins = [${loaded.join(', ')}];`,
  ];
  writeFileSync(entry, `${lines.join('\n')}\n`);
  return entry;
}

/**
 * Lambda runs a bundle alone in /var/task: copies outside the repository make sure nothing resolves
 * from its node_modules by accident. Variants whose SDK comes "from the runtime" stay in bench/.out,
 * where the project's node_modules stands in for the runtime's.
 */
function stageBundles(bundles: Omit<Bundle, 'runFile'>[], needsNodeModules: (bundle: Omit<Bundle, 'runFile'>) => boolean) {
  const stageDir = mkdtempSync(join(tmpdir(), 'tencent-im-bench-'));
  const staged = bundles.map((bundle, index) => {
    if (needsNodeModules(bundle)) return { ...bundle, runFile: bundle.file };
    const runFile = join(stageDir, String(index), 'index.mjs');
    mkdirSync(dirname(runFile));
    copyFileSync(bundle.file, runFile);
    return { ...bundle, runFile };
  });
  return { staged, cleanUp: () => rmSync(stageDir, { recursive: true, force: true }) };
}

export async function buildBundles(candidates: readonly Candidate[] = []): Promise<Bundles> {
  // Rebuilt just before and just after CDK bundles: if the two differ, the sources were being edited.
  const rebuild = async () => readFileSync(await bundleEntry(handlerEntry, join(outDir, 'rebuilt/index.mjs')), 'utf8');
  const rebuiltBefore = await rebuild();
  const deployedFunction = await synthesizeDeployedFunction(join(outDir, 'cdk.out'));
  const rebuiltAfter = await rebuild();
  const deployedCode = readFileSync(deployedFunction.bundleFile, 'utf8');
  const builtins = builtinsOf(deployedCode);
  const sameOptionsAsDeployed: OptionsCheck = rebuiltBefore !== rebuiltAfter ? 'sources changed' : rebuiltAfter === deployedCode ? 'identical' : 'different';

  const variant = (name: string, file: string, description: string, storesEvents = true) => ({
    name,
    file,
    description,
    // The deployed asset is measured whole: a source map or other file in it would count.
    ...sizeOf(file, name === 'deployed'),
    storesEvents,
  });
  const built = [
    variant('deployed', deployedFunction.bundleFile, 'the CDK asset'),
    variant('floor', await bundleEntry(writeFloorEntry(builtins), join(outDir, 'floor/index.mjs')), 'decode, JSON.parse, answer OK', false),
    // The floor without the built-in imports: the difference is what loading them costs.
    variant(
      'floorWithoutBuiltins',
      await bundleEntry(floorHandler, join(outDir, 'floor-without-builtins/index.mjs')),
      'the floor, importing no built-in',
      false,
    ),
    variant(
      'externalSdk',
      await bundleEntry(handlerEntry, join(outDir, 'external-sdk/index.mjs'), { external: ['@aws-sdk/*'] }),
      '@aws-sdk/* from the runtime',
    ),
    // The chain's checks by hand, no middy, valibot parsing or Powertools: the warm before-callback floor.
    variant('handWritten', await bundleEntry(handWrittenHandler, join(outDir, 'hand-written/index.mjs')), 'SDKAppID, Sign, JSON and the policy by hand', false),
  ];
  for (const candidate of candidates) {
    const file = await bundleEntry(resolve(candidate.entry), join(outDir, 'candidates', candidate.name, 'index.mjs'));
    built.push(variant(candidate.name, file, `candidate: ${relative(repoRoot, resolve(candidate.entry))}`));
  }
  const { staged, cleanUp } = stageBundles(built, (bundle) => bundle.name === 'externalSdk');
  const [deployed, floor, floorWithoutBuiltins, externalSdk, handWritten, ...candidateBundles] = staged;
  return {
    byName: { deployed: deployed!, floor: floor!, floorWithoutBuiltins: floorWithoutBuiltins!, externalSdk: externalSdk!, handWritten: handWritten! },
    candidates: candidateBundles,
    deployedFunction,
    builtins,
    sameOptionsAsDeployed,
    cleanUp,
  };
}

/**
 * The child scripts, compiled to plain JavaScript: Node's type stripping costs ~95 ms at start-up
 * here, which would land in every cold start measured. Not minified, no banner: they are the harness.
 */
export async function buildChildScripts(): Promise<{ coldStart: string; warmLatency: string }> {
  const options: BuildOptions = { bundle: true, platform: 'node', target: 'node24', format: 'esm', logLevel: 'warning' };
  const compile = async (name: string) => {
    const outfile = join(outDir, `${name}.mjs`);
    await build({ ...options, entryPoints: [join(repoRoot, `bench/${name}.ts`)], outfile, absWorkingDir: repoRoot });
    return outfile;
  };
  return { coldStart: await compile('cold-start-child'), warmLatency: await compile('warm-latency-child') };
}

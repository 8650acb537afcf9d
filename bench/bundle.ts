import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { bundleHandler, handlerBuildOptions, handlerEntries, writeHandlerBundle } from '../infra/build/handler-bundles.ts';
import { BUNDLE_FILE } from '../infra/handler-code.ts';
import { type DeployedFunction, synthesizeDeployedFunction } from './deployed-function.ts';
import { outDir, repoRoot } from './paths.ts';

/**
 * The handlers the bench runs, each a folder holding `index.mjs` (and the chunks it loads): the one
 * CDK deploys, the floors, the deployed handler with the AWS SDK left to the runtime, and any
 * candidates. All but the deployed one are built here by the build that makes the deployed one
 * (infra/build/handler-bundles.ts `bundleHandler`), checked by rebuilding the deployed one and
 * comparing bytes.
 */

/**
 * Fixed variants; a candidate (run.ts --candidate) is any other entry, bundled the same way. A
 * candidate is how a change to the handler is measured before it is made: write it under bench/.out/.
 */
export type VariantName = 'deployed' | 'floor' | 'floorWithoutBuiltins' | 'documentClient' | 'externalSdk' | 'handWritten';

export interface Bundle {
  readonly name: string;
  readonly description: string;
  /** Where the bundle's entry was written (bench/.out), to inspect; its chunks are beside it. */
  readonly file: string;
  /** Where the children import it from (see stageBundles). */
  readonly runFile: string;
  /** Every file of the bundle's folder, and gzipped: what Lambda's zip would hold. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The folder's files, entry first: `index.mjs`, `chunks/…`. */
  readonly files: readonly FileSize[];
  /** Whether it stores after-events (the floors only answer). */
  readonly storesEvents: boolean;
}

export interface FileSize {
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Loaded when the entry is imported (statically), rather than by an `import()` later or never. */
  readonly loadedAtImport: boolean;
}

export interface Candidate {
  readonly name: string;
  /** A handler entry (TypeScript or JavaScript) exporting `handler`, like functions/callback/handler.ts. */
  readonly entry: string;
}

/** `sources changed`: the handler's sources changed while CDK synthesized, so nothing can be told. */
export type OptionsCheck = 'identical' | 'different' | 'sources changed';

export interface Bundles {
  readonly byName: Record<VariantName, Bundle>;
  readonly candidates: Bundle[];
  readonly deployedFunction: DeployedFunction;
  /** Node built-ins the deployed bundle loads when it is imported; the floor loads the same. */
  readonly builtins: BuiltinUse;
  /** Whether the build rebuilds the deployed asset byte for byte from these sources. */
  readonly sameOptionsAsDeployed: OptionsCheck;
  /** Removes the staged copies outside the repository. */
  cleanUp(): void;
}

const handlerEntry = handlerEntries.callback;
const floorHandler = join(repoRoot, 'bench/floor-handler.ts');
const documentClientHandler = join(repoRoot, 'bench/document-client-floor.ts');
const handWrittenHandler = join(repoRoot, 'bench/hand-written-handler.ts');

/** How a bundle loads Node built-ins: the floor loads the same ones the same way. */
export interface BuiltinUse {
  /**
   * Static ESM imports. An import builds the module's ESM namespace, which reads every export, lazy
   * ones included: `node:http`'s loads undici, for instance, which require() does not.
   */
  readonly imported: string[];
  /** require() calls of bundled CommonJS code (through the createRequire banner) and process.getBuiltinModule calls, not also imported. */
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
    // process.getBuiltinModule is how the handlers take node:http (infra/build/builtins/): the object require() returns.
    required: found(new RegExp(`(?<![\\w$.])(?:${requireNames}|process\\.getBuiltinModule)\\(\\s*["']([^"']+)["']\\s*\\)`, 'g')).filter(
      (name) => !imported.includes(name),
    ),
    dynamic: found(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  };
}

const withNodePrefix = (name: string) => (name.startsWith('node:') ? name : `node:${name}`);

/**
 * The files an entry loads when it is imported: itself and, transitively, the chunks it imports
 * statically (esbuild's `import{…}from"./chunks/…"`); chunks reached only through `import()` load later.
 */
export function loadedAtImport(folder: string, entry = BUNDLE_FILE): Set<string> {
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    const code = readFileSync(join(folder, path), 'utf8');
    for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) visit(join(dirname(path), match[1]!));
  };
  visit(entry);
  return loaded;
}

/** Every file of a bundle's folder with its size, the entry first; Lambda's zip deflates each file as gzip does. */
function filesOf(folder: string): FileSize[] {
  const atImport = loadedAtImport(folder);
  const paths = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort((a, b) => (a === BUNDLE_FILE ? -1 : b === BUNDLE_FILE ? 1 : a.localeCompare(b)));
  return paths.map((path) => {
    const content = readFileSync(join(folder, path));
    return { path, bytes: content.length, gzipBytes: gzipSync(content).length, loadedAtImport: atImport.has(path) };
  });
}

/** The code a folder's entry loads when imported, every file of it. */
const codeAtImport = (folder: string) => [...loadedAtImport(folder)].map((path) => readFileSync(join(folder, path), 'utf8')).join('\n');

/** Bundles an entry into a fresh folder under bench/.out, as the handlers are bundled. */
function bundleInto(entry: string, folder: string, extra: Partial<BuildOptions> = {}): string {
  rmSync(folder, { recursive: true, force: true });
  writeHandlerBundle(bundleHandler(entry, extra), folder);
  return join(folder, BUNDLE_FILE);
}

/**
 * The floor's entry: the deployed bundle's built-ins, loaded the same way (generated, so the floor
 * follows the product as its dependencies change), then the floor handler. The namespaces are
 * exported because esbuild drops a bare `import 'node:fs'`: it knows built-ins have no side effects.
 * `require` is the banner's.
 */
function writeFloorEntry(builtins: BuiltinUse): string {
  const entry = join(outDir, 'floor-entry/entry.ts');
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

type Built = Omit<Bundle, 'runFile'>;

/**
 * Lambda runs a bundle alone in /var/task: copies outside the repository make sure nothing resolves
 * from its node_modules by accident. Variants whose SDK comes "from the runtime" stay in bench/.out,
 * where the project's node_modules stands in for the runtime's.
 */
function stageBundles(bundles: Built[], needsNodeModules: (bundle: Built) => boolean) {
  const stageDir = mkdtempSync(join(tmpdir(), 'tencent-im-bench-'));
  const staged = bundles.map((bundle, index) => {
    if (needsNodeModules(bundle)) return { ...bundle, runFile: bundle.file };
    const folder = join(stageDir, String(index));
    cpSync(dirname(bundle.file), folder, { recursive: true });
    return { ...bundle, runFile: join(folder, BUNDLE_FILE) };
  });
  return { staged, cleanUp: () => rmSync(stageDir, { recursive: true, force: true }) };
}

/** Whether two folders hold the same files with the same bytes. */
function sameFiles(a: string, b: string): boolean {
  const list = (folder: string) => filesOf(folder).map((file) => file.path);
  const files = list(a);
  if (JSON.stringify(files) !== JSON.stringify(list(b))) return false;
  return files.every((path) => readFileSync(join(a, path)).equals(readFileSync(join(b, path))));
}

export async function buildBundles(candidates: readonly Candidate[] = []): Promise<Bundles> {
  // Rebuilt just before and just after CDK synthesizes: if the two differ, the sources were being edited.
  const rebuild = (name: string) => dirname(bundleInto(handlerEntry, join(outDir, name)));
  const rebuiltBefore = rebuild('rebuilt-before');
  const deployedFunction = await synthesizeDeployedFunction(join(outDir, 'cdk.out'));
  const rebuiltAfter = rebuild('rebuilt-after');
  const deployedFolder = dirname(deployedFunction.bundleFile);
  const builtins = builtinsOf(codeAtImport(deployedFolder));
  const sameOptionsAsDeployed: OptionsCheck = !sameFiles(rebuiltBefore, rebuiltAfter)
    ? 'sources changed'
    : sameFiles(rebuiltAfter, deployedFolder)
      ? 'identical'
      : 'different';

  const variant = (name: string, file: string, description: string, storesEvents = true): Built => {
    const files = filesOf(dirname(file));
    return {
      name,
      file,
      description,
      bytes: files.reduce((sum, entry) => sum + entry.bytes, 0),
      gzipBytes: files.reduce((sum, entry) => sum + entry.gzipBytes, 0),
      files,
      storesEvents,
    };
  };
  const out = (name: string) => join(outDir, 'bundles', name);
  const built = [
    variant('deployed', deployedFunction.bundleFile, 'the CDK asset'),
    variant('floor', bundleInto(writeFloorEntry(builtins), out('floor')), 'decode, JSON.parse, answer OK', false),
    // The floor without the built-in imports: the difference is what loading them costs.
    variant('floorWithoutBuiltins', bundleInto(floorHandler, out('floor-without-builtins')), 'the floor, importing no built-in', false),
    // The least a handler that stores events loads: the DynamoDB document client, made at start-up.
    variant('documentClient', bundleInto(documentClientHandler, out('document-client')), 'the DynamoDB document client, then answer OK', false),
    variant('externalSdk', bundleInto(handlerEntry, out('external-sdk'), { external: ['@aws-sdk/*'] }), '@aws-sdk/* from the runtime'),
    // The chain's checks and its one log line by hand, no middy, valibot parsing or Powertools: the warm before-callback floor.
    variant('handWritten', bundleInto(handWrittenHandler, out('hand-written')), "SDKAppID, Sign, JSON, the policy and the record's line by hand", false),
  ];
  for (const candidate of candidates) {
    const file = bundleInto(resolve(candidate.entry), out(join('candidates', candidate.name)));
    built.push(variant(candidate.name, file, `candidate: ${relative(repoRoot, resolve(candidate.entry))}`));
  }
  const { staged, cleanUp } = stageBundles(built, (bundle) => bundle.name === 'externalSdk');
  const [deployed, floor, floorWithoutBuiltins, documentClient, externalSdk, handWritten, ...candidateBundles] = staged;
  return {
    byName: {
      deployed: deployed!,
      floor: floor!,
      floorWithoutBuiltins: floorWithoutBuiltins!,
      documentClient: documentClient!,
      externalSdk: externalSdk!,
      handWritten: handWritten!,
    },
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
  const options: BuildOptions = { bundle: true, platform: 'node', target: handlerBuildOptions.target, format: 'esm', logLevel: 'warning' };
  const compile = async (name: string) => {
    const outfile = join(outDir, `${name}.mjs`);
    await build({ ...options, entryPoints: [join(repoRoot, `bench/${name}.ts`)], outfile, absWorkingDir: repoRoot });
    return outfile;
  };
  return { coldStart: await compile('cold-start-child'), warmLatency: await compile('warm-latency-child') };
}

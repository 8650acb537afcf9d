/**
 * Builds the receiver's Lambda handlers with esbuild into dist/handlers/<name>/index.mjs, where
 * the construct takes them from (infra/handler-code.ts): `npm run build`, `prepack`, `cdk synth`
 * (infra/app.ts) and the CDK tests call it. It builds only when a source, the lockfile or the options
 * changed since the last build, so calling it before every synth costs a few milliseconds.
 *
 *   npx node infra/build/handler-bundles.ts
 *
 * Safe to run from several processes at once (jest's workers): each file is written beside its place
 * and renamed over it, and every run writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type BuildOptions, buildSync, version as esbuildVersion } from 'esbuild';
import { BUNDLE_FILE, type HandlerName, handlersDirectory } from '../handler-code.ts';

const root = join(import.meta.dirname, '../..');

/** Each handler's entry point under functions/. */
export const handlerEntries = {
  callback: join(root, 'functions/callback/handler.ts'),
  drain: join(root, 'functions/drain/handler.ts'),
  fanOut: join(root, 'functions/fan-out/handler.ts'),
  state: join(root, 'functions/synced-view/handler.ts'),
  policyValidator: join(root, 'functions/policy-validator/handler.ts'),
} as const satisfies Record<HandlerName, string>;

/**
 * One ES module per handler for Node 24, minified, with every library inside (the AWS SDK included:
 * the bundle tests run is the bundle that deploys, whatever SDK version the runtime ships).
 * The options NodejsFunction passed esbuild before the bundles were prebuilt, so the bench's check
 * (bench/bundle.ts `deployedBuildOptions`) still rebuilds them byte for byte.
 */
export const handlerBuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  external: [],
  // Bundled CommonJS dependencies call require(), which an ES module does not have.
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
} as const satisfies BuildOptions;

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What a build depends on: the options, esbuild's version, the lockfile (for node_modules) and each source file read. */
interface BuildInputs {
  readonly options: string;
  readonly lockfile: string;
  readonly sources: Record<string, string>;
}

const stampFile = () => join(handlersDirectory(), 'build-inputs.json');
const optionsHash = () => sha256(JSON.stringify({ esbuildVersion, handlerBuildOptions, handlerEntries: Object.keys(handlerEntries) }));
const lockfileHash = () => sha256(readFileSync(join(root, 'package-lock.json')));

function upToDate(): boolean {
  let stamp: BuildInputs;
  try {
    stamp = JSON.parse(readFileSync(stampFile(), 'utf8')) as BuildInputs;
  } catch {
    return false;
  }
  if (stamp.options !== optionsHash() || stamp.lockfile !== lockfileHash()) return false;
  return Object.entries(stamp.sources).every(([file, hash]) => {
    try {
      return sha256(readFileSync(join(root, file))) === hash;
    } catch {
      return false;
    }
  });
}

/** Writes a file by renaming a sibling over it: a reader sees the old bytes or the new ones, never half. */
function replaceFile(path: string, contents: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Builds every handler, whatever the stamp says. */
export function buildHandlerBundles(): void {
  const sources: Record<string, string> = {};
  for (const [name, entry] of Object.entries(handlerEntries)) {
    const result = buildSync({ ...handlerBuildOptions, absWorkingDir: root, entryPoints: [entry], write: false, metafile: true, outfile: BUNDLE_FILE });
    const folder = join(handlersDirectory(), name);
    mkdirSync(folder, { recursive: true });
    replaceFile(join(folder, BUNDLE_FILE), result.outputFiles[0]!.contents);
    for (const input of Object.keys(result.metafile.inputs)) {
      if (input.includes('node_modules/')) continue;
      // Paths relative to absWorkingDir, the project's root.
      sources[input] ??= sha256(readFileSync(join(root, input)));
    }
  }
  const stamp: BuildInputs = { options: optionsHash(), lockfile: lockfileHash(), sources };
  replaceFile(stampFile(), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** Builds the handlers unless the last build is of the same sources, lockfile and options. */
export function ensureHandlerBundles(): void {
  if (!upToDate()) buildHandlerBundles();
}

if (import.meta.main) {
  const started = performance.now();
  buildHandlerBundles();
  console.log(
    `Built ${Object.keys(handlerEntries).length} handler bundles into ${relative(root, handlersDirectory())}/ in ${Math.round(performance.now() - started)} ms`,
  );
}

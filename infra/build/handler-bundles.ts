/**
 * Builds the receiver's Lambda handlers with esbuild into dist/handlers/<name>/, where the
 * construct takes them from (infra/handler-code.ts): `npm run build`, `prepack`, `cdk synth`
 * (infra/app.ts) and the CDK tests call it. It builds only when a source, the lockfile or the options
 * changed since the last build, so calling it before every synth costs a few milliseconds.
 *
 *   npx node infra/build/handler-bundles.ts
 *
 * Safe to run from several processes at once (jest's workers): each file is written beside its place
 * and renamed over it, and every run writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
  canary: join(root, 'functions/canary/handler.ts'),
  reconcile: join(root, 'functions/reconcile/handler.ts'),
} as const satisfies Record<HandlerName, string>;

/**
 * One ES module per handler for Node 24, minified, with every library inside (the AWS SDK included:
 * the bundle tests run is the bundle that deploys, whatever SDK version the runtime ships). Split:
 * what a handler loads only through `import()` (the tracer and the X-Ray SDK when tracing is on,
 * the Secrets Manager client when a token is configured) is a chunk of its own under `chunks/`,
 * which a cold start without it never reads (docs/performance.md).
 */
export const handlerBuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  external: [],
  // A static import of node:http builds its ES namespace, which reads every export: WebSocket,
  // CloseEvent and MessageEvent are getters that load undici (issue 19: −23 ms of a cold start).
  // These files hand over the module as `require` does (the same object), its exports read when used.
  alias: {
    http: './infra/build/builtins/http.cjs',
    'node:http': './infra/build/builtins/http.cjs',
    https: './infra/build/builtins/https.cjs',
    'node:https': './infra/build/builtins/https.cjs',
  },
  // Bundled CommonJS dependencies call require(), which an ES module does not have.
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** A handler's bundle: its files, by path in the handler's folder, and the project's sources it was built from. */
export interface HandlerBundle {
  readonly files: readonly { readonly path: string; readonly contents: Uint8Array }[];
  /** Relative to the project's root. */
  readonly sources: readonly string[];
}

/** Where esbuild is told the files go; nothing is written there, the paths are made relative to it. */
const virtualOutdir = join(root, 'dist/.bundle');

/**
 * Bundles one entry the way the handlers are bundled: `index.mjs` exporting `handler`. `extra`
 * options are for the bench's variants (the SDK left to the runtime); the handlers take none.
 */
export function bundleHandler(entry: string, extra: Partial<BuildOptions> = {}): HandlerBundle {
  const result = buildSync({
    ...handlerBuildOptions,
    ...extra,
    absWorkingDir: root,
    entryPoints: { [BUNDLE_FILE.replace(/\.mjs$/, '')]: entry },
    outdir: virtualOutdir,
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
  });
  return {
    files: result.outputFiles.map((file) => ({ path: relative(virtualOutdir, file.path), contents: file.contents })),
    // Paths relative to absWorkingDir, the project's root.
    sources: Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/')),
  };
}

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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

/**
 * Writes a bundle's files into a folder, and removes any other file there: the folder is the
 * function's asset, and a chunk of an earlier build would deploy with it. Another process's file
 * being written (`.tmp`) is left alone; every process writes the same files.
 */
export function writeHandlerBundle(bundle: HandlerBundle, folder: string): void {
  for (const file of bundle.files) {
    const path = join(folder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    replaceFile(path, file.contents);
  }
  const written = new Set(bundle.files.map((file) => join(folder, file.path)));
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !written.has(path) && !entry.name.endsWith('.tmp')) rmSync(path, { force: true });
  }
}

/** Builds every handler, whatever the stamp says. */
export function buildHandlerBundles(): void {
  const sources: Record<string, string> = {};
  for (const [name, entry] of Object.entries(handlerEntries)) {
    const bundle = bundleHandler(entry);
    writeHandlerBundle(bundle, join(handlersDirectory(), name));
    for (const source of bundle.sources) sources[source] ??= sha256(readFileSync(join(root, source)));
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

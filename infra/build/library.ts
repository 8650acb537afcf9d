/**
 * Compiles the construct library for the package: infra/index.ts and everything it imports, to
 * JavaScript with declarations under dist/ (tsconfig.library.json), beside the prebuilt handlers.
 * Node strips no types inside node_modules, so the package must hold JavaScript; aws-cdk-lib and
 * constructs stay imports (peer dependencies), as do the libraries the validation runs at synth
 * (package.json `dependencies`, checked by test/bundle/package.test.ts against what is emitted here).
 *
 *   npx node infra/build/library.ts        (npm run build does this and the handlers)
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/** What the library build writes under dist/: the tree of infra/index.ts's sources. */
export const libraryFolders = ['infra', 'functions', 'schemas'] as const;

/** Every file under a folder, recursively. */
export const filesUnder = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

/**
 * Declarations keep the sources' `./x.ts` specifiers; a consumer's TypeScript resolves `./x.js` to
 * the `.d.ts` beside it without any option of its own, so they get the JavaScript's.
 */
const rewriteSpecifiers = (text: string) => text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');

export function buildLibrary(): void {
  for (const folder of libraryFolders) rmSync(join(root, 'dist', folder), { recursive: true, force: true });
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(import.meta.dirname, 'tsconfig.library.json')], { stdio: 'inherit' });
  for (const folder of libraryFolders) {
    for (const file of filesUnder(join(root, 'dist', folder)).filter((name) => name.endsWith('.d.ts'))) {
      writeFileSync(file, rewriteSpecifiers(readFileSync(file, 'utf8')));
    }
  }
}

/** The packages the emitted library imports (not Node's built-ins, not its own files): its dependencies and peers. */
export function libraryImports(): string[] {
  const imported = new Set<string>();
  for (const folder of libraryFolders) {
    for (const file of filesUnder(join(root, 'dist', folder)).filter((name) => name.endsWith('.js'))) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)) {
        if (specifier!.startsWith('.') || specifier!.startsWith('node:')) continue;
        imported.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
      }
    }
  }
  return [...imported].sort();
}

if (import.meta.main) {
  buildLibrary();
  console.log(`Built the construct library into dist/ (imports ${libraryImports().join(', ')})`);
}

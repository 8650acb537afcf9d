import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code } from 'aws-cdk-lib/aws-lambda';

/** The receiver's Lambda handlers, each prebuilt into a bundle of its own (infra/build/handler-bundles.ts). */
export const handlerNames = ['callback', 'drain', 'fanOut', 'state', 'policyValidator', 'canary', 'reconcile'] as const;
export type HandlerName = (typeof handlerNames)[number];

/** The file Lambda runs in each bundle's folder: `index.handler` is its `handler` export. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The package's root: the first folder above this module with a package.json. That is the checkout
 * when this runs from infra/*.ts, and the installed package when it runs from dist/infra/*.js, so
 * both find the bundles in the same place under it.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`tencent-im-callbacks: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** Where the prebuilt bundles are: `dist/handlers/<name>/index.mjs` in the package. */
export const handlersDirectory = (): string => join(packageRoot(), 'dist', 'handlers');

/**
 * A handler's bundle as the function's code. Prebuilt (npm run build, and `prepack` for the
 * package): the app that uses the construct needs neither esbuild nor this project's sources, and
 * what is tested is what deploys.
 */
export function handlerCode(name: HandlerName): Code {
  const folder = join(handlersDirectory(), name);
  if (!existsSync(join(folder, BUNDLE_FILE))) {
    throw new Error(
      `tencent-im-callbacks: the ${name} handler's bundle is missing (${join(folder, BUNDLE_FILE)}); in a checkout of the project, run npm run build`,
    );
  }
  return Code.fromAsset(folder);
}

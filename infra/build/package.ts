/**
 * `npm run build` (and `prepack`): everything the package holds that is built, from scratch: the
 * handler bundles (handler-bundles.ts) and the construct library (library.ts), under dist/.
 */
import { buildHandlerBundles } from './handler-bundles.ts';
import { buildLibrary, libraryImports } from './library.ts';

buildHandlerBundles();
buildLibrary();
console.log(`Built dist/: the handler bundles and the construct library (importing ${libraryImports().join(', ')})`);

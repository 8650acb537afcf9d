import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The `node` a user's shell finds outside npm (npm puts node_modules/.bin first on PATH for the tests
 * too): on these machines Node 20, which cannot run TypeScript. The launcher's tests run under it.
 */
export function machineNode(path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  throw new Error('no node on PATH outside node_modules');
}

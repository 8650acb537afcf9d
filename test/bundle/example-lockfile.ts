/**
 * A package-lock.json for the example app, cut from this repository's own: the same versions and
 * integrities for every package the app needs, so `npm ci --offline` installs it from the local npm
 * cache, which holds those tarballs (the repository's `npm ci` put them there) but not the registry's
 * metadata a lockfile-less install would ask for.
 */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  inBundle?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  [field: string]: unknown;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Where Node would find `name` from the package at `from` (a lockfile path): its own node_modules, then each parent's. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

/**
 * The lockfile for `app`, whose dependencies are all in `root` (the repository's lockfile) but
 * `local`: packages given as tarballs, locked by their own manifests (their dependencies in `root`).
 */
export function exampleLockfile(root: { packages: Record<string, LockEntry> }, app: Manifest, local: Record<string, LockEntry>) {
  const source: Record<string, LockEntry> = {
    ...root.packages,
    ...Object.fromEntries(Object.entries(local).map(([name, entry]) => [`node_modules/${name}`, entry])),
  };
  const packages: Record<string, LockEntry> = {};
  const pending = Object.keys({ ...app.dependencies, ...app.devDependencies }).map((name) => ({ from: '', name }));
  while (pending.length > 0) {
    const { from, name } = pending.pop()!;
    const path = locate(source, from, name);
    if (path === undefined) throw new Error(`${name} (needed by ${from || 'the app'}) is not in the repository's package-lock.json`);
    if (packages[path] !== undefined) continue;
    // Dev or not is the repository's business: here every package is the app's to install.
    const { dev: _dev, devOptional, ...entry } = source[path]!;
    packages[path] = devOptional ? { ...entry, optional: true } : entry;
    const required = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies });
    for (const peer of Object.keys(entry.peerDependencies ?? {})) if (!entry.peerDependenciesMeta?.[peer]?.optional) required.push(peer);
    // Optional dependencies for other platforms (os, cpu) are locked too: npm skips them without fetching.
    for (const dependency of required) pending.push({ from: path, name: dependency });
    // A package's bundled dependencies ship inside its tarball: locked with it.
    for (const [bundled, bundledEntry] of Object.entries(source))
      if (bundled.startsWith(`${path}/node_modules/`) && bundledEntry.inBundle) packages[bundled] = bundledEntry;
  }
  return {
    name: app.name,
    version: app.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: app.name, version: app.version, dependencies: app.dependencies, devDependencies: app.devDependencies },
      ...Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

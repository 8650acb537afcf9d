import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';

/**
 * No module may reach itself through its static imports, type-only ones included: a circle makes the
 * order modules load in decide what a constant holds (`undefined` until its module ran), and says that
 * two layers know each other, as `commands → store → commands` did. Read from the sources, so the
 * test sees what the code says, whatever a bundler would drop.
 */

const root = resolve(import.meta.dirname, '../..');
// schemas/ holds the generated event types the construct's public entry re-exports.
const trees = ['functions', 'local', 'cli', 'infra', 'schemas'];

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * `import … from '…'`, `import type …`, `export … from '…'` and `import '…'`, at the start of a line:
 * an import clause holds no quote or semicolon, so the first quoted string after `from` is its module.
 * Dynamic `import()` is left out: it loads when called, not when the module does.
 */
const staticImport = /^[ \t]*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^[ \t]*import\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(staticImport)]
    .map((match) => match[1] ?? match[2]!)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(root, resolve(root, dirname(file), specifier)));
}

/** Every circle of the graph, each once, as a path that starts and ends at its first module in sort order. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' → '), [...rotated, rotated[0]!]);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

describe('static imports', () => {
  const files = trees.flatMap(sourcesUnder);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  test('are read from every source file (the walk finds imports at all)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get('functions/callback/chain.ts')).toContain('functions/callback/route-callback.ts');
    // Multi-line and type-only imports are seen too.
    expect(graph.get('functions/callback/route-callback.ts')).toContain('functions/commands/definition.ts');
  });

  test('point at files that exist', () => {
    const missing = [...graph].flatMap(([file, imports]) =>
      imports.filter((target) => !graph.has(target) && !target.startsWith('node_modules')).map((target) => `${file} → ${target}`),
    );
    expect(missing).toEqual([]);
  });

  test('form no circle', () => {
    expect(cyclesOf(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  test('a circle is found and printed, so the check can fail', () => {
    const circle = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(cyclesOf(circle).map((cycle) => cycle.join(' → '))).toEqual(['a.ts → b.ts → c.ts → a.ts']);
  });
});

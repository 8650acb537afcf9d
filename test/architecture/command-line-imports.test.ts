import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';

/**
 * The command-line tools and `npm start` load no CDK: aws-cdk-lib takes about a third of a command's
 * start-up CPU (0.94 s → 0.64 s for `npm run state`, measured), and a command that reads a table or
 * sends a callback has no construct to build. A fact both sides need (an output's name, the policy
 * profile's, the setting a mistyped name meant) lives in a module of its own that imports no CDK
 * (infra/stack-output-names.ts, infra/policy-profile.ts, functions/shared/intended-setting.ts).
 * Read from the sources: value imports only (`import type` is erased), static only (a dynamic
 * `import()` loads when called).
 */

const root = resolve(import.meta.dirname, '../..');

/** The commands whose work is the CDK app's own facts: the settings table prints the deployment settings, with their CDK types. */
const CDK_COMMANDS = ['settings'];

const valueImport = /^[ \t]*(?:import|export)(?![ \t]+type\b)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^[ \t]*import\s*['"]([^'"]+)['"]/gm;

/** The packages and files a source loads with it, transitively: packages by name, files by path from the root. */
function loadedWith(entry: string): { packages: Set<string>; chains: Map<string, string[]> } {
  const packages = new Set<string>();
  const chains = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(valueImport)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) {
        const target = relative(root, resolve(root, dirname(file), specifier));
        if (existsSync(join(root, target))) visit(target, [...chain, target]);
      } else if (!specifier.startsWith('node:')) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        packages.add(name);
        if (!chains.has(name)) chains.set(name, chain);
      }
    }
  };
  visit(entry, [entry]);
  return { packages, chains };
}

/** Each subcommand's module, as cli/subcommands.ts imports it when asked for. */
const subcommandModules = [...readFileSync(join(root, 'cli/subcommands.ts'), 'utf8').matchAll(/^\s+(\w+): \{.*import\('([^']+)'\)/gm)].map(
  ([, name, specifier]) => ({ name: name!, file: relative(root, resolve(root, 'cli', specifier!)) }),
);

describe('the command-line tools load no CDK', () => {
  test('every subcommand of cli/subcommands.ts is found here', () => {
    expect(subcommandModules.map(({ name }) => name)).toEqual(expect.arrayContaining(['start', 'events', 'state', 'policy', 'listen', 'doctor', 'settings']));
  });

  test.each(subcommandModules.filter(({ name }) => !CDK_COMMANDS.includes(name)))('$name ($file)', ({ file }) => {
    const { packages, chains } = loadedWith(file);
    const cdk = ['aws-cdk-lib', 'constructs'].filter((name) => packages.has(name)).map((name) => `${name} through ${chains.get(name)!.join(' → ')}`);
    expect(cdk).toEqual([]);
  });
});

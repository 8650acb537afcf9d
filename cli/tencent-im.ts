/**
 * `npx tencent-im <command> [options]`: the project's commands behind one name (subcommands.ts).
 * Reached through bin/tencent-im.js, which makes sure it runs on Node 24.
 */
import { editDistance } from '../functions/shared/edit-distance.ts';
import { exitCodes, runCommand } from './command.ts';
import { type Subcommand, subcommands } from './subcommands.ts';

const registry: Readonly<Record<string, Subcommand>> = subcommands;

export const usage = `Usage: npx tencent-im <command> [options]      (npx tencent-im <command> --help for its options)

Commands:
${Object.entries(registry)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Data goes to stdout, messages to stderr: npx tencent-im events --json | jq .command`;

/** The command a mistyped name meant, when one is near enough. */
export function meantCommand(name: string): string | undefined {
  const ranked = Object.keys(registry)
    .map((known) => ({ known, distance: editDistance(name.toLowerCase(), known) }))
    .filter(({ known, distance }) => distance <= (known.length >= 8 ? 2 : 1))
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.known;
}

export async function dispatch(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === undefined) {
      console.error(usage);
      process.exit(exitCodes.usage);
    }
    console.log(usage);
    return;
  }
  const subcommand = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (subcommand === undefined) {
    const meant = meantCommand(name);
    console.error(
      `${JSON.stringify(name)} is not a tencent-im command${meant === undefined ? '' : `; did you mean ${meant}?`} (npx tencent-im --help lists them)`,
    );
    process.exit(exitCodes.usage);
  }
  await runCommand(name, await subcommand.load(), rest);
}

if (import.meta.main) await dispatch(process.argv.slice(2));

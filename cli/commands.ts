/**
 * `npx tencent-im commands` (`npm run commands`): the registry's commands as docs/commands.md's table;
 * `--write` puts it into that page between its markers (a test fails while the two differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCommand } from './command.ts';
import { commandsSection, commandsTable, withCommandsTable } from './commands-table.ts';

export const usage = `Usage: npx tencent-im commands [--write]

Prints the command registry (functions/commands/) as the table of ${commandsSection.page};
--write puts it into that page between its markers instead.`;

export function main(args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { write: { type: 'boolean' } } });
  if (!values.write) {
    console.log(commandsTable());
    return;
  }
  const page = fileURLToPath(new URL(`../${commandsSection.page}`, import.meta.url));
  writeFileSync(page, withCommandsTable(readFileSync(page, 'utf8')));
  console.error(`${commandsSection.page}: ${commandsSection.name} written.`);
}

if (import.meta.main) await runCommand('commands', { usage, main }, process.argv.slice(2));

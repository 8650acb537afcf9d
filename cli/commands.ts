/**
 * `npm run commands`: the registry's commands as docs/commands.md's table; `-- --write` puts it into
 * that page between its markers (a test fails while the two differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandsSection, commandsTable, withCommandsTable } from './commands-table.ts';

const page = fileURLToPath(new URL(`../${commandsSection.page}`, import.meta.url));
if (process.argv.includes('--write')) {
  writeFileSync(page, withCommandsTable(readFileSync(page, 'utf8')));
  console.log(`${commandsSection.page}: ${commandsSection.name} written.`);
} else {
  console.log(commandsTable());
}

/**
 * `npm run commands`: the registry's commands as the README's table; `-- --write` puts it into
 * README.md between its markers (a test fails while the two differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandsTable, withCommandsTable } from './commands-table.ts';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
if (process.argv.includes('--write')) {
  writeFileSync(readme, withCommandsTable(readFileSync(readme, 'utf8')));
  console.log('README.md: commands table written.');
} else {
  console.log(commandsTable());
}

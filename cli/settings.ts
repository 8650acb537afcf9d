/**
 * `npm run settings`: every setting as the README's table, from the schemas and the descriptions
 * declared beside them; `-- --write` puts it into README.md between its markers (a test fails while
 * the two differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { settingsSection, settingsTable, withSettingsTable } from './settings-table.ts';

const page = fileURLToPath(new URL(`../${settingsSection.page}`, import.meta.url));
if (process.argv.includes('--write')) {
  writeFileSync(page, withSettingsTable(readFileSync(page, 'utf8')));
  console.log(`${settingsSection.page}: ${settingsSection.name} written.`);
} else {
  console.log(settingsTable());
}

/**
 * `npx tencent-im settings` (`npm run settings`): every setting as the README's table, from the
 * schemas and the descriptions declared beside them; `--write` puts it into README.md between its
 * markers (a test fails while the two differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCommand } from './command.ts';
import { settingsSection, settingsTable, withSettingsTable } from './settings-table.ts';

export const usage = `Usage: npx tencent-im settings [--write]

Prints every setting (the receiver's, the deployment's, local mode's) as the table of ${settingsSection.page};
--write puts it into that page between its markers instead.`;

export function main(args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { write: { type: 'boolean' } } });
  if (!values.write) {
    console.log(settingsTable());
    return;
  }
  const page = fileURLToPath(new URL(`../${settingsSection.page}`, import.meta.url));
  writeFileSync(page, withSettingsTable(readFileSync(page, 'utf8')));
  console.error(`${settingsSection.page}: ${settingsSection.name} written.`);
}

if (import.meta.main) await runCommand('settings', { usage, main }, process.argv.slice(2));

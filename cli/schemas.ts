/**
 * `npx tencent-im schemas` (`npm run schemas`): writes the JSON Schemas of the events on the bus (and
 * of what `IM_FORWARD_URL` receives) into schemas/, generated from the command registry's valibot
 * schemas (infra/event-schemas.ts). Run it after adding or changing a command;
 * test/infra/event-schemas.test.ts fails until it is.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { eventSchemaFiles, SCHEMAS_DIR } from '../infra/event-schemas.ts';
import { runCommand } from './command.ts';

export const usage = `Usage: npx tencent-im schemas

Writes the JSON Schemas of the events on the bus (and of what IM_FORWARD_URL receives) into
${SCHEMAS_DIR}/, generated from the command registry; what the registry no longer has is removed.`;

export function main(args: string[]): void {
  parseArgs({ args, strict: true, options: {} });
  const root = join(import.meta.dirname, '..', SCHEMAS_DIR);
  const files = eventSchemaFiles();
  // What the registry no longer has goes too, so the directory is exactly what it generates.
  rmSync(root, { recursive: true, force: true });
  for (const [name, text] of files) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  console.error(`Wrote ${files.size} schemas to ${SCHEMAS_DIR}/ (${readdirSync(join(root, 'commands')).length} commands)`);
}

if (import.meta.main) await runCommand('schemas', { usage, main }, process.argv.slice(2));

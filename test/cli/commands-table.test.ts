import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { commandsSection, commandsTable, withCommandsTable } from '../../cli/commands-table.ts';
import { commandRegistry } from '../../functions/commands/registry.ts';

const page = readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8');

describe("docs/commands.md's commands table", () => {
  test("is the registry's, as `npm run commands -- --write` writes it", () => {
    expect(withCommandsTable(page)).toBe(page);
  });

  test('has a row per registered command, with its kind', () => {
    const table = commandsTable();
    for (const definition of commandRegistry.values()) expect(table).toContain(`| \`${definition.command}\` | ${definition.kind} |`);
    expect(table.split('\n')).toHaveLength(commandRegistry.size + 2);
  });

  test('refuses a page without its markers, naming them', () => {
    expect(() => withCommandsTable('# no table')).toThrow(commandsSection.start);
    expect(() => withCommandsTable(`${commandsSection.end}\n${commandsSection.start}`)).toThrow('docs/commands.md has no commands table');
  });
});

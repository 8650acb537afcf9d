import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { settingsSection, settingsTable, withSettingsTable } from '../../cli/settings-table.ts';
import { SettingsSchema, settingDescriptions, settingVariables } from '../../functions/shared/settings.ts';
import { DeploymentSettingsSchema, deploymentSettingDescriptions } from '../../infra/deployment-settings.ts';
import { LocalSettingsSchema, localSettingDescriptions } from '../../local/local-settings.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = settingsTable();
const rows = table.split('\n').slice(2);
const rowOf = (cell: string) => rows.find((row) => row.startsWith(`| ${cell} |`) || row.includes(`| ${cell} |`));

describe("the README's settings table", () => {
  test("is the schemas', as `npm run settings -- --write` writes it", () => {
    expect(withSettingsTable(readme)).toBe(readme);
  });

  test('has a row for every setting of every schema, and a description for each, no more', () => {
    const deploymentOnly = Object.keys(DeploymentSettingsSchema.entries).filter((name) => !(name in SettingsSchema.entries));
    expect(Object.keys(settingDescriptions).sort()).toEqual(Object.keys(SettingsSchema.entries).sort());
    expect(Object.keys(deploymentSettingDescriptions).sort()).toEqual(deploymentOnly.sort());
    expect(Object.keys(localSettingDescriptions).sort()).toEqual(Object.keys(LocalSettingsSchema.entries).sort());
    for (const name of Object.keys(SettingsSchema.entries)) {
      expect(rowOf(`\`${name}\``)).toContain(`| \`${settingVariables[name as keyof typeof settingVariables]}\` |`);
    }
    for (const name of deploymentOnly) expect(rowOf(`\`${name}\``)).toContain('| – |');
    for (const name of Object.keys(LocalSettingsSchema.entries)) expect(rowOf(`– | \`${name}\``)).toBeDefined();
    expect(rows).toHaveLength(Object.keys(DeploymentSettingsSchema.entries).length + Object.keys(LocalSettingsSchema.entries).length + 1);
  });

  test('shows what the schemas decide: required, declared defaults, defaults made by a transform, ranges', () => {
    expect(rowOf('`sdkAppIds`')).toContain('| required |');
    expect(rowOf('`eventRetentionDays`')).toContain('| `90` (1–36,500) |');
    expect(rowOf('`policy`')).toContain('| `{"rules":[]}` |');
    // tokenSecret has no schema default: the schema's transform makes it `create` when it is absent.
    expect(rowOf('`tokenSecret`')).toContain('| `create` |');
    expect(rowOf('`reservedConcurrency`')).toContain('| none (1–1,000) |');
    expect(rowOf('`PORT`')).toContain('| `3000` (0–65,535) |');
  });

  test('carries each description as declared', () => {
    for (const description of Object.values(settingDescriptions)) expect(table).toContain(description);
    expect(rowOf('`tracing`')).toContain('Deployment: X-Ray tracing');
    expect(rowOf('`DATA_DIR`')).toContain('Local mode: where the embedded store');
  });

  test('refuses a README without its markers, naming them', () => {
    expect(() => withSettingsTable('# no table')).toThrow(settingsSection.start);
    expect(() => withSettingsTable(`${settingsSection.end}\n${settingsSection.start}`)).toThrow('README.md has no settings table');
  });
});

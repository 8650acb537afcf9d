import { describe, expect, test } from '@jest/globals';
import { optionsNpmTook } from '../../cli/command.ts';
import { subcommands } from '../../cli/subcommands.ts';
import { meantCommand, usage } from '../../cli/tencent-im.ts';

describe('the subcommand registry', () => {
  test.each(Object.entries(subcommands))('%s loads, says how it is called, and runs from main(args)', async (name, { summary, load }) => {
    const command = await load();
    expect(summary).not.toBe('');
    expect(command.usage).toMatch(new RegExp(`^Usage: .*(tencent-im ${name}|npm start)`));
    expect(typeof command.main).toBe('function');
    expect(usage).toContain(`  ${name} `);
  });

  test('a mistyped command name gets the one it meant', () => {
    expect(meantCommand('evnts')).toBe('events');
    expect(meantCommand('Events')).toBe('events');
    expect(meantCommand('sate')).toBe('state');
    expect(meantCommand('commmands')).toBe('commands');
    expect(meantCommand('deploy')).toBeUndefined();
  });
});

describe('options npm kept for itself (npm run events --json, without --)', () => {
  const usageText = 'Usage: npx tencent-im events [--group ID] [--json] [--events-table NAME]';
  const npmRun = (script: string, configs: Record<string, string>) => ({
    npm_command: 'run',
    npm_lifecycle_event: script,
    npm_config_cache: '/root/.npm',
    npm_config_user_agent: 'npm/11',
    ...configs,
  });

  test('are named, each once, when they are options of the command', () => {
    expect(optionsNpmTook('events', usageText, ['X'], npmRun('events', { npm_config_group: 'true', npm_config_json: 'true' }))).toEqual(['--group', '--json']);
    expect(optionsNpmTook('events', usageText, [], npmRun('events', { npm_config_events_table: 'true' }))).toEqual(['--events-table']);
  });

  test("are not confused with npm's own settings, options given after --, or another script's environment", () => {
    expect(optionsNpmTook('events', usageText, [], npmRun('events', {}))).toEqual([]);
    expect(optionsNpmTook('events', usageText, ['--json'], npmRun('events', { npm_config_json: 'true' }))).toEqual([]);
    // `npm run jest` starting the CLI as a child: the jest script's environment is not the CLI's.
    expect(optionsNpmTook('events', usageText, [], npmRun('jest', { npm_config_json: 'true' }))).toEqual([]);
    // npx passes every argument on.
    expect(optionsNpmTook('events', usageText, [], { npm_command: 'exec', npm_lifecycle_event: 'npx', npm_config_json: 'true' })).toEqual([]);
    // `--events` is not `--events-table`.
    expect(optionsNpmTook('events', usageText, [], npmRun('events', { npm_config_events: 'true' }))).toEqual([]);
  });
});

/**
 * Every `npx tencent-im <command>`, one line each: its name, the line `npx tencent-im --help` shows,
 * and the module that runs it (imported only when it is the one asked for, so each stays quick).
 *
 * Adding one (docs/local.md#cli): write `cli/<name>.ts` exporting `usage` and `main(args)` (the
 * `Command` of cli/command.ts), optionally `expected`, and ending with
 * `if (import.meta.main) await runCommand('<name>', { usage, main }, process.argv.slice(2));`;
 * then add its line here, and, if it should also be an npm script, `"<name>": "node bin/tencent-im.js <name>"`
 * in package.json. test/cli/subcommands.test.ts checks that every entry loads and has a usage.
 */
import type { Command } from './command.ts';

export interface Subcommand {
  /** One line for `npx tencent-im --help`. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const subcommands = {
  start: { summary: 'Run the receiver on this machine with the inspector (npm start)', load: () => import('../local/start.ts') },
  events: { summary: 'List stored events; --follow prints new ones as they arrive, --export writes them', load: () => import('./events.ts') },
  trigger: { summary: "Send a command's example, happening now, to npm start (or --url), signed", load: () => import('./trigger.ts') },
  replay: { summary: 'Send a stored event again by its id, re-signed', load: () => import('./replay.ts') },
  state: { summary: 'Show the synced view of a group or a user, or rebuild it', load: () => import('./state.ts') },
  commands: { summary: "Print the command registry as docs/commands.md's table", load: () => import('./commands.ts') },
  settings: { summary: "Print every setting as the README's table", load: () => import('./settings.ts') },
  schemas: { summary: 'Write the JSON Schemas of the events on the bus into schemas/', load: () => import('./schemas.ts') },
  policy: { summary: 'Check a policy file, backtest it on the stored messages, or deploy it to AppConfig', load: () => import('./policy.ts') },
  tencent: { summary: "Set or show Live and Call callback configuration through Tencent's REST API", load: () => import('./tencent.ts') },
  reconcile: { summary: "Compare the synced view with Tencent's truth and repair it (--dry-run reports only)", load: () => import('./reconcile.ts') },
  listen: { summary: "Show a deployed stack's events live here, through a temporary queue removed on exit", load: () => import('./listen.ts') },
  doctor: { summary: 'Check a deployed stack: URL, token, alarms, last heard per command, queues, canary', load: () => import('./doctor.ts') },
} as const satisfies Record<string, Subcommand>;

export type SubcommandName = keyof typeof subcommands;

/**
 * How the project's commands (npm start, npm run events, cdk synth) fail: one or two lines that say
 * what is wrong and what to do, and a non-zero exit. A stack trace helps whoever debugs the code, not
 * whoever mistyped a setting, so it is printed only with DEBUG set.
 */

/** A failure the user can fix: its message names the setting, port or folder and says what to do. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The variable that asks for stack traces, and what it does: a row of the README's settings table (cli/settings-table.ts). */
export const debugVariable = {
  name: 'DEBUG',
  description: 'Any value: `npm start`, `npm run events`/`state` and `cdk synth` print the stack trace of a start-up failure, not only its one or two lines.',
} as const;

const debugging = () => (process.env[debugVariable.name] ?? '') !== '';

/** Prints the message on stderr and exits; never returns. */
export function exitWithMessage(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

/**
 * What a failure prints: its message alone when it is the user's to fix (a UsageError, or an error
 * named by `expected`), else the message and where to look further; with DEBUG, the stack as well.
 */
export function describeFailure(error: unknown, expected: (error: Error) => boolean = () => false): string {
  if (!(error instanceof Error)) return String(error);
  if (debugging()) return error.stack ?? error.message;
  if (error instanceof UsageError || expected(error)) return error.message;
  return `${error.message}\n(an unexpected ${error.name}: run again with DEBUG=1 for the stack trace)`;
}

export interface RunCliOptions {
  /** Errors of other types that are the user's to fix too, e.g. SettingsError. Default: UsageError only. */
  readonly expected?: (error: Error) => boolean;
}

/**
 * Runs a command's main function: whatever it throws, synchronously or not, ends the process with
 * describeFailure's lines and exit code 1.
 */
export async function runCli(main: () => unknown, options: RunCliOptions = {}): Promise<void> {
  try {
    await main();
  } catch (error) {
    exitWithMessage(describeFailure(error, options.expected));
  }
}

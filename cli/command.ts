/**
 * What every `npx tencent-im <command>` is made of, and how it is run: its help, its options checked
 * before anything happens, stdout for data alone (so `| jq` works), and a failure in one or two
 * lines (fail.ts). The dispatcher (tencent-im.ts) runs a command from the registry (subcommands.ts);
 * a command's own file runs it too when started directly (`node cli/events.ts`).
 */
import { environmentNameProblems } from '../local/environment-names.ts';
import { describeFailure, UsageError } from './fail.ts';

/** A command's options or arguments are wrong: the message, then its usage, exit code 2. */
export class OptionsError extends UsageError {
  override name = 'OptionsError';
}

export interface Command {
  /** What `--help` prints on stdout: how to call it, its options, what it does. */
  readonly usage: string;
  /** Runs it with the arguments after its name. Data goes to stdout, everything else to stderr. */
  main(args: string[]): Promise<void> | void;
  /** Errors of other types that are the user's to fix too (SettingsError…): one line, no stack. */
  readonly expected?: (error: Error) => boolean;
}

/** Exit codes: what a failed pipeline reports. */
export const exitCodes = { failed: 1, usage: 2 } as const;

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/** node:util parseArgs's own errors (an unknown option, a missing value): the user's to fix. */
const isParseArgsError = (error: Error) => String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');

/**
 * `npm run events --json` (without `--`) gives npm the option: npm keeps it, sets
 * `npm_config_json=true` in the script's environment, and the command never sees it (a value after
 * it, `--group X`, arrives as a bare argument). The options of the command's usage that npm took
 * this way, if any.
 */
export function optionsNpmTook(name: string, usage: string, args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  // Only in the script npm runs for this command: another script's environment is inherited by its children.
  if ((env.npm_command !== 'run' && env.npm_command !== 'run-script') || env.npm_lifecycle_event !== name) return [];
  return Object.keys(env)
    .filter((variable) => variable.startsWith('npm_config_'))
    .map((variable) => `--${variable.slice('npm_config_'.length).replaceAll('_', '-')}`)
    .filter((option) => new RegExp(`(^|[\\s[|(])${option}(?![\\w-])`).test(usage) && !args.some((arg) => arg === option || arg.startsWith(`${option}=`)));
}

/** The line that says what npm did with the options, and how to pass them. */
function npmTookMessage(script: string, took: readonly string[]): string {
  return `npm kept ${took.join(' ')} for itself: npm run passes options to the command only after --, as in npm run ${script} -- ${took.join(' ')} … (or run npx tencent-im ${script} ${took.join(' ')} …)`;
}

function exit(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

/**
 * Runs a command: `--help` prints its usage; options npm kept, and environment variables that look
 * like settings but are none, stop it before it reads wrong data; whatever it throws ends the process
 * in a line or two (exit 2 for its options, 1 otherwise).
 */
export async function runCommand(name: string, command: Command, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // `| head` closes the pipe early: that ends the command quietly, as it does for any Unix tool.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const before = args.indexOf('--');
  if ((before === -1 ? args : args.slice(0, before)).some(isHelp)) {
    console.log(command.usage);
    return;
  }
  const took = optionsNpmTook(name, command.usage, args, env);
  if (took.length > 0) exit(npmTookMessage(name, took), exitCodes.usage);
  // IM_SDKAPPID for IM_SDKAPPIDS would start with the example SDKAppID, without a word.
  const misnamed = environmentNameProblems(env);
  if (misnamed.length > 0) exit(`Unknown settings:\n${misnamed.join('\n')}`, exitCodes.failed);
  try {
    await command.main(args);
  } catch (error) {
    if (error instanceof OptionsError || (error instanceof Error && isParseArgsError(error))) {
      exit(`${(error as Error).message}\n\n${command.usage}`, exitCodes.usage);
    }
    exit(describeFailure(error, command.expected), exitCodes.failed);
  }
}

/**
 * The options that name a deployed stack, for the commands that read one with the user's AWS
 * credentials (`listen`, `doctor`): `--stack NAME`, needed, and `--region R`. Their parseArgs specs,
 * their lines of the usage and their check are written here once, so the commands say them alike.
 */
import { OptionsError } from './command.ts';

/** Spread into a command's parseArgs options. */
export const stackOptionSpecs = { stack: { type: 'string' }, region: { type: 'string' } } as const;

/** Their lines of a command's usage, the descriptions starting at `column` as the command's others do. */
export const stackOptionsHelp = (column: number): string =>
  [
    ['--stack NAME', 'the deployed stack (CloudFormation)'],
    ['--region R', "its region (default: the SDK's: AWS_REGION, your profile)"],
  ]
    .map(([option, description]) => `  ${option!.padEnd(column - 2)}${description}`)
    .join('\n');

export interface StackOptions {
  readonly stack: string;
  readonly region?: string;
}

/** The stack asked for, or the usage error that says it is needed and what for (`purpose`). */
export function stackOptions(values: { readonly stack?: string; readonly region?: string }, purpose: string): StackOptions {
  if (values.stack === undefined || values.stack === '') throw new OptionsError(`--stack NAME is needed: ${purpose}`);
  return { stack: values.stack, ...(values.region === undefined ? {} : { region: values.region }) };
}

/** An AWS SDK client's configuration: the region asked for, else the SDK's own (AWS_REGION, the profile). */
export const regionConfig = (region: string | undefined): { region?: string } => (region === undefined ? {} : { region });

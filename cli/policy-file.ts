import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPolicy } from '../functions/policy/load-policy.ts';
import type { Policy } from '../functions/policy/policy-schema.ts';
import { UsageError } from './fail.ts';

/**
 * A policy file as the CLI takes it: read, then checked whole as every place that takes a policy
 * checks it (load-policy.ts). What is wrong is said in lines naming the file, the rule and the reason.
 */
export function readPolicyFile(file: string, deadlineMs: number): { readonly policy: Policy; readonly text: string } {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the policy file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const loaded = loadPolicy(text, deadlineMs);
  if (!loaded.ok) throw new UsageError(`The policy file ${path} is refused:\n${loaded.problems.map((problem) => `  ${problem}`).join('\n')}`);
  return { policy: loaded.policy, text };
}

import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { resolve } from 'node:path';
import type { LivePolicy, RefreshOutcome } from '../functions/policy/live-policy.ts';

/**
 * `npm start` with an `@file` policy follows the file (docs/policy.md#without-a-deploy): each save is
 * checked whole as every loader checks a policy (load-policy.ts) and put in force, or refused with
 * the rule and the reason while the running policy stays. One line either way. Polled, not
 * fs.watch: editors save by renaming a new file over the old, which a watch on the old one misses.
 */
export const POLLED_EVERY_MS = 300;

/** The file an `@path` setting names, or `undefined` for a policy given inline. */
export function policyFileOf(setting: unknown): string | undefined {
  return typeof setting === 'string' && setting.trimStart().startsWith('@') ? resolve(setting.trim().slice(1)) : undefined;
}

export function describeReload(file: string, outcome: RefreshOutcome): string | undefined {
  switch (outcome.type) {
    case 'applied':
      return `Policy reloaded from ${file}: ${outcome.rules} rules in force.`;
    case 'refused':
      return `Policy file ${file} refused, the running policy stays: ${outcome.problems.join('; ')}`;
    case 'unreachable':
      return `Policy file ${file} cannot be read, the running policy stays: ${outcome.error}`;
    case 'unchanged':
      return undefined;
  }
}

export function watchPolicyFile(file: string, policy: LivePolicy, say: (line: string) => void, intervalMs = POLLED_EVERY_MS): () => void {
  const reload = () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const line = describeReload(file, { type: 'unreachable', error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
      if (line !== undefined) say(line);
      return;
    }
    const line = describeReload(file, policy.apply(text));
    if (line !== undefined) say(line);
  };
  // What the settings read at start is in force: only a change from it is news.
  try {
    policy.apply(readFileSync(file, 'utf8'));
  } catch {
    // Read at start already (the settings): a file gone since is said at its next change.
  }
  watchFile(file, { interval: intervalMs, persistent: false }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) reload();
  });
  return () => unwatchFile(file);
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as v from 'valibot';

/**
 * Where a policy setting's text comes from: the setting itself (an object, or JSON text), or a file
 * when the text is `@path/to/policy.json`, relative to the current directory. A policy of thousands
 * of words does not fit in an environment variable or a `-c` argument; a file does. Whatever cannot
 * be read or parsed is an error naming the file, so the operator knows which one to fix.
 */
export const policySource = v.rawTransform<unknown, unknown>(({ dataset, addIssue, NEVER }) => {
  const given = dataset.value;
  if (typeof given !== 'string') return given;
  let text = given;
  let origin = '';
  if (given.trimStart().startsWith('@')) {
    const file = resolve(given.trim().slice(1));
    origin = `the policy file ${file} `;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      addIssue({ message: `cannot read the policy file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
      return NEVER;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    addIssue({ message: `${origin}is not valid JSON (${(error as Error).message})` });
    return NEVER;
  }
});

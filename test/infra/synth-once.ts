/**
 * CallbackStack synthesized once per set of settings in a test file: most tests only read the
 * template, and each synth costs a few hundred milliseconds. A test that changes the app (adds a
 * validation plugin, overrides a property) takes a fresh one from test/support/stack-template.ts.
 */
import { synth } from '../support/stack-template.ts';

const synthesized = new Map<string, ReturnType<typeof synth>>();

export function synthOnce(context: Record<string, unknown> = {}): ReturnType<typeof synth> {
  const key = JSON.stringify(context);
  let made = synthesized.get(key);
  if (made === undefined) {
    made = synth(context);
    synthesized.set(key, made);
  }
  return made;
}

/**
 * The body `npx tencent-im trigger` sends: the command's example from its definition, happening now
 * (local/example-now.ts), with each `--set Field=value` applied. A value takes the type the example
 * has at that place, so `--set GroupId=123` stays a string and `--set MemberNum=3` a number; a field
 * the example lacks takes JSON when the value is JSON (`--set Tags='["a"]'`), else the text.
 */
import { commandRegistry } from '../functions/commands/registry.ts';
import { editDistance } from '../functions/shared/edit-distance.ts';
import { isObject } from '../functions/shared/is-object.ts';
import { happeningNow } from '../local/example-now.ts';
import { OptionsError } from './command.ts';

/** The registry's definition of `name`; else an OptionsError naming the command meant, when one is near. */
export function registeredCommand(name: string) {
  const found = commandRegistry.get(name);
  if (found !== undefined) return found;
  const folded = name.toLowerCase();
  const ranked = [...commandRegistry.keys()]
    .map((known) => ({ known, distance: known.toLowerCase() === folded ? 0 : editDistance(folded, known.toLowerCase()) }))
    .filter(({ distance }) => distance <= 3)
    .sort((a, b) => a.distance - b.distance);
  const meant = ranked[0]?.known;
  throw new OptionsError(
    `${JSON.stringify(name)} is not a command of the registry${meant === undefined ? '' : `; did you mean ${meant}?`} (npx tencent-im commands lists them)`,
  );
}

/** `MsgBody.0.MsgContent.Text` → its steps; a number indexes a list. */
const stepsOf = (path: string) => path.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step));

/** A value as the example's value at that place is typed. */
function typed(text: string, like: unknown, field: string): unknown {
  if (typeof like === 'string') return text;
  if (typeof like === 'number') {
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number)) throw new OptionsError(`--set ${field}=${text}: ${field} is a number in the example`);
    return number;
  }
  if (typeof like === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new OptionsError(`--set ${field}=${text}: ${field} is true or false in the example`);
    return text === 'true';
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A copy of `body` with `value` (text, typed as above) at `path`, creating objects on the way. */
export function setField(body: Record<string, unknown>, assignment: string): Record<string, unknown> {
  const equals = assignment.indexOf('=');
  if (equals <= 0) throw new OptionsError(`--set ${assignment}: give Field=value, e.g. --set GroupId=@TGS#2J4SZEAEL`);
  const path = assignment.slice(0, equals);
  const text = assignment.slice(equals + 1);
  const steps = stepsOf(path);
  const copy = structuredClone(body);
  let container: Record<string, unknown> | unknown[] = copy;
  for (const [index, step] of steps.entries()) {
    const last = index === steps.length - 1;
    const current: unknown = (container as Record<string | number, unknown>)[step];
    if (last) {
      (container as Record<string | number, unknown>)[step] = typed(text, current, path);
      break;
    }
    if (isObject(current) || Array.isArray(current)) container = current;
    else if (current === undefined) {
      const made: Record<string, unknown> | unknown[] = typeof steps[index + 1] === 'number' ? [] : {};
      (container as Record<string | number, unknown>)[step] = made;
      container = made;
    } else throw new OptionsError(`--set ${assignment}: ${steps.slice(0, index + 1).join('.')} is not an object in the example`);
  }
  return copy;
}

/** The body trigger sends for `command`: its example, now, with the `--set`s applied in order. */
export function triggerBody(command: string, sets: readonly string[], now = Date.now()): Record<string, unknown> {
  const definition = registeredCommand(command);
  return sets.reduce(setField, { ...happeningNow(definition, definition.example, now) });
}

/**
 * Field paths, the one way the registry and the policy point into a body: `a.b` steps into objects,
 * `a[]` into every element of an array (`MsgBody[].MsgContent.Text`, `PairList[].From_Account`).
 */

import { isObject } from '../shared/is-object.ts';

/**
 * A field path into a body: `a.b` steps into objects, `a[]` into every element of an array, e.g.
 * `MsgBody[].MsgContent.Text` or `PairList[].From_Account`.
 */
export type FieldPath = string;

export interface PathStep {
  readonly key: string;
  /** `key[]`: every element of the array at `key`. */
  readonly each: boolean;
}

const stepPattern = /^([^.[\]]+)(\[\])?$/;

/** The steps of a path, or `undefined` when it is not one (`a..b`, `a[0]`, `[]`). */
export function parsePath(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const match = stepPattern.exec(part);
    if (match === null) return undefined;
    steps.push({ key: match[1]!, each: match[2] !== undefined });
  }
  return steps;
}

/** Every value at the path, in body order; nothing when a step is missing or of another type. */
export function readPath(body: unknown, path: string | readonly PathStep[]): unknown[] {
  const steps = typeof path === 'string' ? parsePath(path) : path;
  if (steps === undefined) return [];
  let values: unknown[] = [body];
  for (const { key, each } of steps) {
    const next: unknown[] = [];
    for (const value of values) {
      if (!isObject(value) || !Object.hasOwn(value, key)) continue;
      const child = value[key];
      if (!each) next.push(child);
      // A loop, not push(...child): spreading a list of a few hundred thousand elements (a hostile
      // 1 MiB body) overflows the call stack.
      else if (Array.isArray(child)) for (const element of child) next.push(element);
    }
    values = next;
  }
  return values;
}

/** The path's text again, from its steps. */
export const formatPath = (steps: readonly PathStep[]): string => steps.map(({ key, each }) => (each ? `${key}[]` : key)).join('.');

/**
 * The steps of `path` below the list `list` ends in, or `undefined` when `path` does not lie inside
 * that list: `FriendItem[].To_Account` lies inside `FriendItem[]` (giving `To_Account`).
 * A policy rule on a field inside a list decides for each element on its own.
 */
export function stepsWithin(path: readonly PathStep[], list: readonly PathStep[]): PathStep[] | undefined {
  if (list.length === 0 || !list[list.length - 1]!.each || path.length <= list.length) return undefined;
  const inside = list.every((step, index) => step.key === path[index]!.key && step.each === path[index]!.each);
  return inside ? path.slice(list.length) : undefined;
}

/**
 * The body with every value at the path replaced by `replace(value)`, copying only what changes:
 * untouched objects and arrays are the same references, and a body nothing changed in is returned
 * as it is (a mask rule that masked nothing is an allow).
 */
export function mapPath(body: unknown, steps: readonly PathStep[], replace: (value: unknown) => unknown): unknown {
  if (steps.length === 0) return replace(body);
  if (!isObject(body)) return body;
  const [{ key, each }, ...rest] = steps as [PathStep, ...PathStep[]];
  if (!Object.hasOwn(body, key)) return body;
  const child = body[key];
  let next: unknown;
  if (!each) next = mapPath(child, rest, replace);
  else if (Array.isArray(child)) {
    const mapped = child.map((element) => mapPath(element, rest, replace));
    next = mapped.some((element, index) => element !== child[index]) ? mapped : child;
  } else next = child;
  return next === child ? body : { ...body, [key]: next };
}

/**
 * Whether some value at the path satisfies `test`, stopping at the first: what `readPath(…).some()`
 * says, without building the list (a policy decision walks a path per rule on every message).
 */
export function somePath(body: unknown, steps: readonly PathStep[], test: (value: unknown) => boolean, from = 0): boolean {
  if (from === steps.length) return test(body);
  if (!isObject(body)) return false;
  const { key, each } = steps[from]!;
  if (!Object.hasOwn(body, key)) return false;
  const child = body[key];
  if (!each) return somePath(child, steps, test, from + 1);
  if (!Array.isArray(child)) return false;
  for (const element of child) if (somePath(element, steps, test, from + 1)) return true;
  return false;
}

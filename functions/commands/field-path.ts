/**
 * Field paths, the one way the registry and the policy point into a body: `a.b` steps into objects,
 * `a[]` into every element of an array (`MsgBody[].MsgContent.Text`, `PairList[].From_Account`).
 */

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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

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
      else if (Array.isArray(child)) next.push(...child);
    }
    values = next;
  }
  return values;
}

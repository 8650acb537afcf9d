/**
 * A command's example, happening now. Every sample this project sends (the inspector's, `npx
 * tencent-im trigger`'s, the banner's curl) carries the current time in its time fields, in the unit
 * its definition declares (`timeFields`), so it lists under `--since 5m` and by today's date, not as
 * Tencent's 2022 samples do. The one place that sets them.
 */
import type { Body, CommandDefinition, TimeField } from '../functions/commands/definition.ts';
import { parsePath } from '../functions/commands/field-path.ts';
import { isObject } from '../functions/shared/is-object.ts';

export type TimeUnit = TimeField['unit'];
type Timed = Pick<CommandDefinition, 'timeFields' | 'batch'>;

/** Sets each value at `path` that the body has (an absent field stays absent), in place. */
function setAt(body: Record<string, unknown>, path: string, value: unknown): void {
  const steps = parsePath(path);
  if (steps === undefined) return;
  let places: unknown[] = [body];
  for (const [index, { key, each }] of steps.entries()) {
    const last = index === steps.length - 1;
    const next: unknown[] = [];
    for (const place of places) {
      if (!isObject(place) || !Object.hasOwn(place, key)) continue;
      if (last && !each) place[key] = value;
      else if (last && Array.isArray(place[key])) place[key] = (place[key] as unknown[]).map(() => value);
      else if (each && Array.isArray(place[key])) next.push(...(place[key] as unknown[]));
      else next.push(place[key]);
    }
    places = next;
  }
}

/**
 * The body with each of its definition's time fields (`timeFields`: `EventTime` in ms for most,
 * seconds for `Push.*`, a message's `MsgTime` in seconds) set to `value(unit)` wherever the body has
 * it: at the top, and in each item of a batch (`Push.*`: `{"Events":[…]}`, each item its own). Fields
 * the body does not have stay absent.
 */
export function withTimes(definition: Timed, body: Body, value: (unit: TimeUnit) => unknown): Body {
  const copy = structuredClone(body) as Record<string, unknown>;
  const list = definition.batch?.list;
  const parts = list !== undefined && Array.isArray(copy[list]) ? [copy, ...(copy[list] as unknown[]).filter(isObject)] : [copy];
  for (const part of parts) for (const { path, unit } of definition.timeFields) setAt(part, path, value(unit));
  return copy;
}

/** Epoch time in a unit: ms, or whole seconds. */
export const timeIn = (unit: TimeUnit, now: number): number => (unit === 's' ? Math.floor(now / 1000) : now);

/** The body with its time fields at `now`. */
export const happeningNow = (definition: Timed, body: Body, now = Date.now()): Body => withTimes(definition, body, (unit) => timeIn(unit, now));

/** The shell's current time in a unit, as POSIX sh computes it (macOS's date has no %N). */
const shellTime: Record<TimeUnit, string> = { ms: '$(($(date +%s)*1000))', s: '$(date +%s)' };

/**
 * The body as a single-quoted shell word whose time fields the shell fills in when the line runs:
 * `'{"GroupId":"g","EventTime":'"$(($(date +%s)*1000))"'}'`. A curl pasted an hour later still sends
 * an event of now.
 */
export function shellBodyNow(definition: Timed, body: Body): string {
  const marker = (unit: TimeUnit) => `\u0000now-${unit}\u0000`;
  const json = JSON.stringify(withTimes(definition, body, marker)).replaceAll("'", "'\\''");
  let quoted = `'${json}'`;
  for (const unit of Object.keys(shellTime) as TimeUnit[]) quoted = quoted.replaceAll(JSON.stringify(marker(unit)), `'"${shellTime[unit]}"'`);
  return quoted;
}

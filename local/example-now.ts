/**
 * A command's example, happening now. Every sample this project sends (the inspector's, `npx
 * tencent-im trigger`'s, the banner's curl) carries the current time in its time fields, in the unit
 * its definition declares, so it lists under `--since 5m` and by today's date, not as Tencent's 2022
 * samples do. The one place that knows which fields are times.
 */
import type { Body, CommandDefinition } from '../functions/commands/definition.ts';
import { isObject } from '../functions/shared/is-object.ts';

export type TimeUnit = CommandDefinition['eventTimeUnit'];

/**
 * The time fields of a definition's bodies and their units: `EventTime`, in `eventTimeUnit`. (When
 * definitions declare their time fields themselves, a list of them, this is where it is read.)
 */
const timeFieldsOf = (definition: Pick<CommandDefinition, 'eventTimeUnit'>): readonly { readonly field: string; readonly unit: TimeUnit }[] => [
  { field: 'EventTime', unit: definition.eventTimeUnit },
];

/**
 * The body with each time field it has set to `value(unit)`: at the top, and in each item of a batch
 * (`Push.*`: `{"Events":[…]}`, where each item has its own). Fields the body does not have stay absent.
 */
export function withTimes(definition: Pick<CommandDefinition, 'eventTimeUnit' | 'batch'>, body: Body, value: (unit: TimeUnit) => unknown): Body {
  const fields = timeFieldsOf(definition);
  const set = (part: Body): Body => {
    const copy: Record<string, unknown> = { ...part };
    for (const { field, unit } of fields) if (field in copy) copy[field] = value(unit);
    return copy;
  };
  const top = set(body);
  const list = definition.batch?.list;
  if (list === undefined || !Array.isArray(top[list])) return top;
  return { ...top, [list]: (top[list] as unknown[]).map((item) => (isObject(item) ? set(item) : item)) };
}

/** Epoch time in a unit: ms, or whole seconds. */
export const timeIn = (unit: TimeUnit, now: number): number => (unit === 's' ? Math.floor(now / 1000) : now);

/** The body with its time fields at `now`. */
export const happeningNow = (definition: Pick<CommandDefinition, 'eventTimeUnit' | 'batch'>, body: Body, now = Date.now()): Body =>
  withTimes(definition, body, (unit) => timeIn(unit, now));

/** The shell's current time in a unit, as POSIX sh computes it (macOS's date has no %N). */
const shellTime: Record<TimeUnit, string> = { ms: '$(($(date +%s)*1000))', s: '$(date +%s)' };

/**
 * The body as a single-quoted shell word whose time fields the shell fills in when the line runs:
 * `'{"GroupId":"g","EventTime":'"$(($(date +%s)*1000))"'}'`. A curl pasted an hour later still sends
 * an event of now.
 */
export function shellBodyNow(definition: Pick<CommandDefinition, 'eventTimeUnit' | 'batch'>, body: Body): string {
  const marker = (unit: TimeUnit) => `\u0000now-${unit}\u0000`;
  const json = JSON.stringify(withTimes(definition, body, marker)).replaceAll("'", "'\\''");
  let quoted = `'${json}'`;
  for (const unit of Object.keys(shellTime) as TimeUnit[]) quoted = quoted.replaceAll(JSON.stringify(marker(unit)), `'"${shellTime[unit]}"'`);
  return quoted;
}

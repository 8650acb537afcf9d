/**
 * A rule's windows and penalties as people write them: `"10s"`, `"5m"`, `"1h"`, `"1d"`. A day at most:
 * counters outlive their window by one window (their TTL), and a longer memory is a ban list, which
 * belongs in the application, not in a callback's policy.
 */
const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const maxMs = unitMs.d;
export const maxDuration = '1d';

/** The duration in ms, or `undefined` when it is not one (or longer than a day). */
export function durationMs(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,5})([smhd])$/.exec(text);
  if (match === null) return undefined;
  const ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  return ms <= maxMs ? ms : undefined;
}

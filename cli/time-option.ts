/**
 * `--since` and `--until`: an ISO time (`2026-12-01T09:30:00Z`, `2026-12-01`) or a duration back from
 * now (`90s`, `15m`, `1h`, `2d`, `1w`). Returns epoch ms, or a message saying what was expected.
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
// A date, optionally a time; Date.parse alone would also take "1" or "March 7".
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const TIME_HELP = 'an ISO time (2026-12-01T09:30:00Z) or a duration back from now (30s, 15m, 1h, 2d, 1w)';

export function parseTimeOption(text: string, now: number): number | string {
  const duration = DURATION.exec(text.trim());
  if (duration !== null) return now - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const trimmed = text.trim();
  if (ISO.test(trimmed)) {
    // A date or time without a zone is read as UTC, the zone every listing shows.
    const zoned = /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed) || !trimmed.includes(':') ? trimmed : `${trimmed}Z`;
    const epochMs = Date.parse(zoned.replace(' ', 'T'));
    if (Number.isFinite(epochMs)) return epochMs;
  }
  return `must be ${TIME_HELP}`;
}

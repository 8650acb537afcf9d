/**
 * A rule's body as a record and the inspector show it: whole, but a list of more than a few entries
 * (a 10,000-word `containsAny`) is cut to its first ones and a count, so a record stays a log line.
 */
const shownEntries = 5;

function summarize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, shownEntries).map(summarize);
    return value.length > shownEntries ? [...shown, `… ${value.length - shownEntries} more`] : shown;
  }
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, summarize(inner)]));
  return value;
}

export const ruleSummary = (rule: object): Readonly<Record<string, unknown>> => summarize(rule) as Record<string, unknown>;

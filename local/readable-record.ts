import type { CallbackRecord } from '../functions/callback/callback-record.ts';

/** What happened, first: `stored`, `refused 10101`, `rejected unknown-sdkappid`… */
function verdict(record: CallbackRecord): string {
  if (record.code !== undefined) return `${record.outcome} ${record.code}`;
  if (record.reason !== undefined) return `${record.outcome} ${record.reason}`;
  return record.outcome;
}

/**
 * A callback's record as one line for a terminal: the same fields Lambda logs as JSON
 * (LOG_FORMAT=json prints that instead), empty ones left out.
 */
export function readableRecord(record: CallbackRecord, at = new Date()): string {
  const fields: [string, unknown][] = [
    ['kind', record.kind],
    ['app', record.sdkAppId],
    ['group', record.groupId],
    ['topic', record.topicId],
    ['user', record.user],
    ...Object.entries(record.fields ?? {}),
    ['event', record.eventId?.slice(0, 12)],
    ['events', record.events],
    ['rule', record.matched === undefined ? (Array.isArray(record.rule) ? record.rule.join(',') : record.rule) : record.matched.map(({ id }) => id).join(',')],
    ['penalty', record.penalty ? 'yes' : undefined],
    ['shadow', record.shadow?.map((hit) => `${hit.rule}:${Object.keys(hit).find((key) => key.startsWith('would'))}`).join(',')],
    ['counter-misses', record.counterMisses],
    ['valid', record.valid === false ? 'no' : undefined],
    ['ip', record.clientIp],
    ['platform', record.optPlatform],
    ['request', record.requestId],
  ];
  const details = fields.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${String(value)}`);
  const line = [
    at.toISOString(),
    record.level.padEnd(5),
    String(record.status),
    verdict(record).padEnd(9),
    record.command ?? '-',
    `${record.durationMs}ms`,
    ...(record.coldStart ? ['cold'] : []),
    ...details,
  ].join(' ');
  const payload = record.payload === undefined ? '' : `\n  payload ${record.payload}`;
  const error = record.error === undefined ? '' : `\n  ${record.error.stack ?? `${record.error.name}: ${record.error.message}`}`;
  return line + payload + error;
}
